// `tributary mock-kafka [--brokers N] [--topic NAME:PARTITIONS]...`: runs librdkafka's mock
// Kafka cluster in this process for tests and demos.
//
// Contract: argv[0] is the subcommand's name ("mock-kafka"), options follow. Prints
// "bootstrap.servers=HOST:PORT" as the first line of stdout (flushed), runs until SIGTERM or
// SIGINT, then returns 0; returns 2 on bad arguments and 1 when the cluster cannot start.
// The work is done by connectors::RunMockKafkaCommand (connectors/mock_cluster.h), which
// the unit tests exercise directly.
#pragma once

namespace server {

int RunMockKafka(int argc, char** argv);

}  // namespace server
