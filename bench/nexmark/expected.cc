#include "bench/nexmark/expected.h"

#include <algorithm>
#include <set>
#include <stdexcept>
#include <unordered_map>
#include <utility>

namespace nexmark {
namespace {

constexpr int64_t kTenSecondsMs = 10000;
constexpr int64_t kTwoSecondsMs = 2000;

// Floor division: windows start at multiples of their slide since the epoch.
int64_t FloorDiv(int64_t a, int64_t b) { return a / b - (a % b != 0 && (a < 0) != (b < 0)); }

}  // namespace

void ExpectedResults::Add(const Event& event) {
  const int64_t time_ms = event.kind == Event::Kind::kPerson    ? event.person.date_time_ms
                          : event.kind == Event::Kind::kAuction ? event.auction.date_time_ms
                                                                : event.bid.date_time_ms;
  times_in_order_ = times_in_order_ && time_ms >= last_time_ms_;
  last_time_ms_ = time_ms;
  switch (event.kind) {
    case Event::Kind::kPerson:
      persons_[event.person.id] = {event.person.state, event.person.date_time_ms};
      break;
    case Event::Kind::kAuction: {
      const Auction& a = event.auction;
      auctions_.push_back({a.id, a.seller, a.category, a.date_time_ms, a.expires_ms});
      break;
    }
    case Event::Kind::kBid: {
      const Bid& b = event.bid;
      bids_.push_back({b.auction, b.bidder, b.price, b.date_time_ms});
      bid_price_sum_ += b.price;
      if (b.auction % 123 == 0) selected_price_sum_ += b.price;
      break;
    }
  }
}

std::string ExpectedResults::CheckStream(const GeneratorConfig& config, int64_t events) const {
  constexpr int64_t kFirstId = 1000;
  constexpr int64_t kLead = 10;  // ids ahead of the last created that may be referred to
  const int64_t blocks = events / config.total_proportion();
  const int64_t rest = events % config.total_proportion();
  const int64_t want_persons =
      blocks * config.person_proportion + std::min<int64_t>(rest, config.person_proportion);
  const int64_t want_bids =
      blocks * config.bid_proportion +
      std::max<int64_t>(0, rest - config.person_proportion - config.auction_proportion);
  if (persons() != want_persons || bids() != want_bids ||
      persons() + auctions() + bids() != events) {
    return "not 1:3:46 persons, auctions and bids";
  }
  if (persons_.begin()->first != kFirstId || persons_.rbegin()->first != kFirstId + persons() - 1) {
    return "person ids are not sequential from 1000";
  }
  const int64_t last_person = kFirstId + persons() - 1 + kLead;
  for (size_t i = 0; i < auctions_.size(); ++i) {
    const AuctionFacts& a = auctions_[i];
    if (a.id != kFirstId + static_cast<int64_t>(i)) return "auction ids are not sequential";
    if (a.seller < kFirstId || a.seller > last_person) return "a seller that cannot exist";
    if (a.expires_ms <= a.date_time_ms) return "an auction that ends before it starts";
    if (a.category < 10 || a.category >= 15) return "a category outside 10..14";
  }
  const int64_t last_auction = kFirstId + auctions() - 1 + kLead;
  int64_t hot = 0;
  for (const BidFacts& b : bids_) {
    if (b.auction < kFirstId || b.auction > last_auction) return "a bid on an impossible auction";
    if (b.bidder < kFirstId || b.bidder > last_person) return "a bidder that cannot exist";
    if (b.price < 100 || b.price > 100000000) return "a price outside $1 to $1M";
    hot += (b.auction - kFirstId) % 100 == 0;
  }
  // P(hot auction) = 1 - 1/hot_auction_ratio, plus the cold picks that land on one.
  const double hot_share = static_cast<double>(hot) / static_cast<double>(bids());
  const double want_hot = 1.0 - 1.0 / config.hot_auction_ratio;
  if (bids() >= 1000 && (hot_share < want_hot - 0.05 || hot_share > want_hot + 0.1)) {
    return "bids on hot auctions: " + std::to_string(hot_share);
  }
  if (!times_in_order_ || last_time_ms_ != config.TimestampMs(events - 1)) {
    return "event times out of order or not at the configured rate";
  }
  return "";
}

std::map<int64_t, int64_t> ExpectedResults::WinningPrices() const {
  std::unordered_map<int64_t, const AuctionFacts*> by_id;
  for (const AuctionFacts& a : auctions_) by_id[a.id] = &a;
  std::map<int64_t, int64_t> winning;
  for (const BidFacts& b : bids_) {
    auto it = by_id.find(b.auction);
    if (it == by_id.end()) continue;
    const AuctionFacts& a = *it->second;
    if (b.date_time_ms < a.date_time_ms || b.date_time_ms > a.expires_ms) continue;
    auto [w, inserted] = winning.emplace(a.id, b.price);
    if (!inserted && b.price > w->second) w->second = b.price;
  }
  return winning;
}

int64_t ExpectedResults::RowCount(const std::string& query) const {
  if (query == "q0" || query == "q1") return bids();
  if (query == "q2") {
    int64_t n = 0;
    for (const BidFacts& b : bids_) n += b.auction % 123 == 0;
    return n;
  }
  if (query == "q3") {
    int64_t n = 0;
    for (const AuctionFacts& a : auctions_) {
      if (a.category != 10) continue;
      auto p = persons_.find(a.seller);
      if (p == persons_.end()) continue;
      const std::string& s = p->second.state;
      n += s == "OR" || s == "ID" || s == "CA";
    }
    return n;
  }
  if (query == "q4" || query == "q6") {
    std::map<int64_t, int64_t> winning = WinningPrices();
    std::set<int64_t> groups;  // q4: categories; q6: sellers
    for (const AuctionFacts& a : auctions_) {
      if (winning.count(a.id)) groups.insert(query == "q4" ? a.category : a.seller);
    }
    return static_cast<int64_t>(groups.size());
  }
  if (query == "q5") {
    // HOP(2 s slide, 10 s size): bids per (window, auction); rows reaching their window's max.
    std::map<int64_t, std::map<int64_t, int64_t>> counts;  // window start → auction → bids
    for (const BidFacts& b : bids_) {
      int64_t last = FloorDiv(b.date_time_ms, kTwoSecondsMs) * kTwoSecondsMs;
      for (int64_t start = last; start > b.date_time_ms - kTenSecondsMs; start -= kTwoSecondsMs) {
        ++counts[start][b.auction];
      }
    }
    int64_t n = 0;
    for (const auto& [start, per_auction] : counts) {
      int64_t max = 0;
      for (const auto& [auction, c] : per_auction) max = std::max(max, c);
      for (const auto& [auction, c] : per_auction) n += c >= max;
    }
    return n;
  }
  if (query == "q7") {
    // TUMBLE(10 s): bids whose price is the max of a window and whose time is within
    // [window_start, window_end], both ends included (BETWEEN).
    std::map<int64_t, int64_t> max_price;  // window index → max price
    for (const BidFacts& b : bids_) {
      int64_t w = FloorDiv(b.date_time_ms, kTenSecondsMs);
      auto [it, inserted] = max_price.emplace(w, b.price);
      if (!inserted && b.price > it->second) it->second = b.price;
    }
    int64_t n = 0;
    for (const BidFacts& b : bids_) {
      int64_t w = FloorDiv(b.date_time_ms, kTenSecondsMs);
      n += max_price.at(w) == b.price;
      if (b.date_time_ms % kTenSecondsMs == 0) {  // also the end of the previous window
        auto prev = max_price.find(w - 1);
        n += prev != max_price.end() && prev->second == b.price;
      }
    }
    return n;
  }
  if (query == "q8") {
    std::set<std::pair<int64_t, int64_t>> sellers;  // (seller, window)
    for (const AuctionFacts& a : auctions_) {
      sellers.emplace(a.seller, FloorDiv(a.date_time_ms, kTenSecondsMs));
    }
    int64_t n = 0;
    for (const auto& [id, p] : persons_) {
      n += sellers.count({id, FloorDiv(p.date_time_ms, kTenSecondsMs)});
    }
    return n;
  }
  throw std::invalid_argument("no such query: " + query);
}

}  // namespace nexmark
