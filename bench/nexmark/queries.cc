#include "bench/nexmark/queries.h"

namespace nexmark {

std::string TablesDdl(const std::string& bootstrap_servers) {
  // Unquoted camelCase names fold to lower case (datetime, emailaddress, …); the JSON fields
  // keep Flink's spelling and match the columns case-insensitively.
  const std::string with = "properties.bootstrap.server='" + bootstrap_servers +
                           "', scan.startup.mode='earliest') FORMAT PLAIN ENCODE JSON;";
  return "CREATE TABLE person (id bigint PRIMARY KEY, name text, emailAddress text, "
         "creditCard text, city text, state text, dateTime timestamp, extra text) "
         "WITH (connector='kafka', topic='person', " +
         with +
         "CREATE TABLE auction (id bigint PRIMARY KEY, itemName text, description text, "
         "initialBid bigint, reserve bigint, dateTime timestamp, expires timestamp, "
         "seller bigint, category bigint, extra text) "
         "WITH (connector='kafka', topic='auction', " +
         with +
         "CREATE TABLE bid (auction bigint, bidder bigint, price bigint, channel text, url text, "
         "dateTime timestamp, extra text) "
         "WITH (connector='kafka', topic='bid', " +
         with;
}

const std::vector<Query>& Queries() {
  static const std::vector<Query> kQueries = {
      {"q0", "Passthrough",
       "CREATE MATERIALIZED VIEW q0 AS SELECT auction, bidder, price, dateTime, extra FROM bid",
       ""},
      {"q1", "Currency conversion",
       "CREATE MATERIALIZED VIEW q1 AS SELECT auction, bidder, 0.908 * price AS price, dateTime, "
       "extra FROM bid",
       "price is numeric (0.908 * bigint), Flink's DECIMAL(23,3)."},
      {"q2", "Selection",
       "CREATE MATERIALIZED VIEW q2 AS SELECT auction, price FROM bid WHERE mod(auction, 123) = 0",
       ""},
      {"q3", "Local item suggestion",
       "CREATE MATERIALIZED VIEW q3 AS SELECT P.name, P.city, P.state, A.id "
       "FROM auction AS A INNER JOIN person AS P ON A.seller = P.id "
       "WHERE A.category = 10 AND (P.state = 'OR' OR P.state = 'ID' OR P.state = 'CA')",
       ""},
      {"q4", "Average price for a category",
       "CREATE MATERIALIZED VIEW q4 AS SELECT Q.category, avg(Q.final) AS avg_final "
       "FROM (SELECT max(B.price) AS final, A.category FROM auction A, bid B "
       "WHERE A.id = B.auction AND B.dateTime BETWEEN A.dateTime AND A.expires "
       "GROUP BY A.id, A.category) Q GROUP BY Q.category",
       "avg(bigint) is numeric here (PostgreSQL), BIGINT in Flink."},
      {"q5", "Hot items",
       "CREATE MATERIALIZED VIEW q5 AS SELECT AuctionBids.auction, AuctionBids.num "
       "FROM (SELECT auction, count(*) AS num, window_start AS starttime, window_end AS endtime "
       "FROM HOP(bid, dateTime, INTERVAL '2 seconds', INTERVAL '10 seconds') "
       "GROUP BY auction, window_start, window_end) AS AuctionBids "
       "JOIN (SELECT max(CountBids.num) AS maxn, CountBids.starttime, CountBids.endtime "
       "FROM (SELECT count(*) AS num, window_start AS starttime, window_end AS endtime "
       "FROM HOP(bid, dateTime, INTERVAL '2 seconds', INTERVAL '10 seconds') "
       "GROUP BY auction, window_start, window_end) AS CountBids "
       "GROUP BY CountBids.starttime, CountBids.endtime) AS MaxBids "
       "ON AuctionBids.starttime = MaxBids.starttime AND AuctionBids.endtime = MaxBids.endtime "
       "AND AuctionBids.num >= MaxBids.maxn",
       "HOP(bid, dateTime, slide, size) instead of TABLE(HOP(TABLE bid, DESCRIPTOR(dateTime), "
       "slide, size)); same windows."},
      {"q6", "Average selling price by seller",
       "CREATE MATERIALIZED VIEW q6 AS SELECT seller, avg(price) AS avg_price "
       "FROM (SELECT seller, price, ROW_NUMBER() OVER (PARTITION BY seller "
       "ORDER BY dateTime DESC, id DESC) AS recent "
       "FROM (SELECT A.id, A.seller, B.price, B.dateTime, ROW_NUMBER() OVER (PARTITION BY A.id, "
       "A.seller ORDER BY B.price DESC, B.dateTime) AS rownum "
       "FROM auction AS A JOIN bid AS B ON A.id = B.auction "
       "AND B.dateTime BETWEEN A.dateTime AND A.expires) W WHERE rownum <= 1) L "
       "WHERE recent <= 10 GROUP BY seller",
       "Flink's text uses AVG(price) OVER (PARTITION BY seller ORDER BY dateTime ROWS BETWEEN 10 "
       "PRECEDING AND CURRENT ROW), which Flink itself cannot run (its OVER window does not take "
       "retractions) and Tributary has no aggregate OVER windows. Here: the same winning bid per "
       "auction (ROW_NUMBER, ties broken by the earlier bid), then each seller's 10 most recent "
       "winning bids (ROW_NUMBER <= 10; Flink's frame holds 11 rows, Beam's Query6 10) averaged "
       "with GROUP BY: one current row per seller instead of one row per winning bid."},
      {"q7", "Highest bid",
       "CREATE MATERIALIZED VIEW q7 AS SELECT B.auction, B.price, B.bidder, B.dateTime, B.extra "
       "FROM bid B JOIN (SELECT max(price) AS maxprice, window_end AS dateTime "
       "FROM TUMBLE(bid, dateTime, INTERVAL '10 seconds') GROUP BY window_start, window_end) B1 "
       "ON B.price = B1.maxprice "
       "WHERE B.dateTime BETWEEN B1.dateTime - INTERVAL '10 seconds' AND B1.dateTime",
       "TUMBLE(bid, dateTime, size) instead of TABLE(TUMBLE(TABLE bid, DESCRIPTOR(dateTime), "
       "size))."},
      {"q8", "Monitor new users",
       "CREATE MATERIALIZED VIEW q8 AS SELECT P.id, P.name, P.starttime "
       "FROM (SELECT id, name, window_start AS starttime, window_end AS endtime "
       "FROM TUMBLE(person, dateTime, INTERVAL '10 seconds') "
       "GROUP BY id, name, window_start, window_end) P "
       "JOIN (SELECT seller, window_start AS starttime, window_end AS endtime "
       "FROM TUMBLE(auction, dateTime, INTERVAL '10 seconds') "
       "GROUP BY seller, window_start, window_end) A "
       "ON P.id = A.seller AND P.starttime = A.starttime AND P.endtime = A.endtime",
       "TUMBLE(t, dateTime, size) instead of TABLE(TUMBLE(TABLE t, DESCRIPTOR(dateTime), size))."},
  };
  return kQueries;
}

}  // namespace nexmark
