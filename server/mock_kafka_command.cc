#include "server/mock_kafka_command.h"

#include "connectors/mock_cluster.h"

namespace server {

int RunMockKafka(int argc, char** argv) { return connectors::RunMockKafkaCommand(argc, argv); }

}  // namespace server
