// NexmarkGenerator: a deterministic generator of the Nexmark event stream (persons, auctions,
// bids), following the specification of Tucker et al., "NEXMark — A Benchmark for Queries over
// Data Streams" (2002), as the reference generators implement it: Apache Beam's
// sdks/java/testing/nexmark (GeneratorConfig, PersonGenerator, AuctionGenerator, BidGenerator)
// and its port nexmark-flink (github.com/nexmark/nexmark, com.github.nexmark.flink.generator).
//
// Contract:
// - Event n (0-based) is a person, an auction or a bid by its position in its block of
//   person_proportion + auction_proportion + bid_proportion events (1:3:46 by default).
// - Person and auction ids are sequential from 1000 (FIRST_PERSON_ID, FIRST_AUCTION_ID);
//   auctions and bids refer to recent persons/auctions, mostly to "hot" ones, as in the reference.
// - Event n happens at base_time_ms + n * 1e6 / events_per_second µs (truncated to ms); the
//   first event time is fixed (2015-07-15 00:00:00 UTC, Beam's NexmarkUtils.BASE_TIME).
// - Event(n) depends only on the configuration and n (its random stream is seeded by n), so
//   any range can be generated again, in any order, with the same result.
// The random numbers are not Java's, so the streams are not bit-identical with Beam's or
// Flink's; their distributions are the same.
#pragma once

#include <cstdint>
#include <string>

namespace nexmark {

struct GeneratorConfig {
  int person_proportion = 1;
  int auction_proportion = 3;
  int bid_proportion = 46;
  int64_t events_per_second = 10000;     // firstEventRate: event time advances 100 µs per event
  int64_t base_time_ms = 1436918400000;  // 2015-07-15T00:00:00Z
  int num_active_people = 1000;
  int num_in_flight_auctions = 100;
  int hot_auction_ratio = 2;  // P(bid on a hot auction) = 1 - 1/2
  int hot_sellers_ratio = 4;  // P(auction by a hot seller) = 1 - 1/4
  int hot_bidders_ratio = 4;  // P(bid by a hot bidder) = 1 - 1/4
  int avg_person_byte_size = 200;
  int avg_auction_byte_size = 500;
  int avg_bid_byte_size = 100;

  int total_proportion() const { return person_proportion + auction_proportion + bid_proportion; }
  // Event time of event n, in ms since the epoch.
  int64_t TimestampMs(int64_t event_number) const;
};

struct Person {
  int64_t id;
  std::string name, email_address, credit_card, city, state;
  int64_t date_time_ms;
  std::string extra;
};

struct Auction {
  int64_t id;
  std::string item_name, description;
  int64_t initial_bid, reserve;
  int64_t date_time_ms, expires_ms;
  int64_t seller, category;
  std::string extra;
};

struct Bid {
  int64_t auction, bidder, price;
  std::string channel, url;
  int64_t date_time_ms;
  std::string extra;
};

struct Event {
  enum class Kind { kPerson, kAuction, kBid };
  Kind kind;
  Person person;    // when kind == kPerson
  Auction auction;  // when kind == kAuction
  Bid bid;          // when kind == kBid
};

class NexmarkGenerator {
 public:
  explicit NexmarkGenerator(GeneratorConfig config = {}) : config_(config) {}

  const GeneratorConfig& config() const { return config_; }
  Event::Kind KindOf(int64_t event_number) const;
  Event Generate(int64_t event_number) const;

 private:
  GeneratorConfig config_;
};

// The event as one JSON object with Flink's field names (dateTime as
// "YYYY-MM-DD HH:MM:SS.mmm", as Flink's json format writes TIMESTAMP(3)).
std::string ToJson(const Person& person);
std::string ToJson(const Auction& auction);
std::string ToJson(const Bid& bid);
// "YYYY-MM-DD HH:MM:SS.mmm" (UTC) for ms since the epoch.
std::string FormatTimestampMs(int64_t ms);

}  // namespace nexmark
