// ExpectedResults: what each Nexmark view must hold, computed directly over the generated
// events in plain C++ (no SQL), to check the engine's views after a run.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "bench/nexmark/generator.h"

namespace nexmark {

class ExpectedResults {
 public:
  // Call once per generated event, in any order.
  void Add(const Event& event);

  // The number of rows view `query` ("q0" … "q8") must hold over every event added.
  int64_t RowCount(const std::string& query) const;
  // sum(price) over all bids, in cents.
  int64_t BidPriceSum() const { return bid_price_sum_; }
  // sum(price) over q2's bids (mod(auction, 123) = 0).
  int64_t SelectedPriceSum() const { return selected_price_sum_; }

  // Empty when the stream added so far has the shape the specification gives it (ids
  // sequential from 1000, references to existing or lead ids, prices from $1 to $1M,
  // auctions that end after they start, event times in order at `config`'s rate, about half
  // the bids on hot auctions); otherwise what is wrong.
  std::string CheckStream(const GeneratorConfig& config, int64_t events) const;

  int64_t persons() const { return static_cast<int64_t>(persons_.size()); }
  int64_t auctions() const { return static_cast<int64_t>(auctions_.size()); }
  int64_t bids() const { return static_cast<int64_t>(bids_.size()); }

 private:
  struct PersonFacts {
    std::string state;
    int64_t date_time_ms;
  };
  struct AuctionFacts {
    int64_t id, seller, category, date_time_ms, expires_ms;
  };
  struct BidFacts {
    int64_t auction, bidder, price, date_time_ms;
  };
  // Auctions with at least one bid between their start and expiry: auction id → max price.
  std::map<int64_t, int64_t> WinningPrices() const;

  std::map<int64_t, PersonFacts> persons_;  // by id
  std::vector<AuctionFacts> auctions_;
  std::vector<BidFacts> bids_;
  int64_t bid_price_sum_ = 0;
  int64_t selected_price_sum_ = 0;
  int64_t last_time_ms_ = 0;
  bool times_in_order_ = true;
};

}  // namespace nexmark
