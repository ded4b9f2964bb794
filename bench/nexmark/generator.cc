#include "bench/nexmark/generator.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>

namespace nexmark {
namespace {

constexpr int64_t kFirstPersonId = 1000;
constexpr int64_t kFirstAuctionId = 1000;
constexpr int64_t kFirstCategoryId = 10;
constexpr int kNumCategories = 5;
constexpr int kPersonIdLead = 10;  // ids not yet created that may still be referred to
constexpr int kAuctionIdLead = 10;
constexpr int kHotSellerRatio = 100;  // hot sellers/bidders/auctions: the first of each 100
constexpr int kHotAuctionRatio = 100;
constexpr int kHotBidderRatio = 100;
constexpr int kHotChannelsRatio = 2;
constexpr int kChannels = 10000;
constexpr int kMinStringLength = 3;

const char* const kUsStates[] = {"AZ", "CA", "ID", "OR", "WA", "WY"};
const char* const kUsCities[] = {"Phoenix", "Los Angeles", "San Francisco", "Boise", "Portland",
                                 "Bend",    "Redmond",     "Seattle",       "Kent",  "Cheyenne"};
const char* const kFirstNames[] = {"Peter", "Paul",  "Luke",  "John",   "Saul",  "Vicky",
                                   "Kate",  "Julie", "Sarah", "Deiter", "Walter"};
const char* const kLastNames[] = {"Shultz", "Abrams", "Spencer", "White", "Bartels",
                                  "Walton", "Smith",  "Jones",   "Noris"};
const char* const kHotChannels[] = {"Google", "Facebook", "Baidu", "Apple"};

template <typename T, size_t N>
constexpr int Count(const T (&)[N]) {
  return static_cast<int>(N);
}

// splitmix64: a small, fast generator whose whole state is one seed, so each event gets its
// own stream from its number.
class Random {
 public:
  explicit Random(uint64_t seed) : state_(seed * 0x9E3779B97F4A7C15ULL + 0x632BE59BD9B4E019ULL) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  // Uniform in [0, bound), bound > 0.
  int64_t NextLong(int64_t bound) {
    return static_cast<int64_t>((static_cast<unsigned __int128>(Next()) * bound) >> 64);
  }
  int NextInt(int bound) { return static_cast<int>(NextLong(bound)); }
  double NextDouble() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }

 private:
  uint64_t state_;
};

// Up to max_length - 1 lower-case letters, about one in 13 replaced by `space`; trimmed
// when `space` is ' ' (StringsGenerator.nextString).
std::string NextString(Random& random, int max_length, char space = ' ') {
  int len = kMinStringLength + random.NextInt(max_length - kMinStringLength);
  std::string s;
  s.reserve(len);
  while (len-- > 0) {
    s.push_back(random.NextInt(13) == 0 ? space : static_cast<char>('a' + random.NextInt(26)));
  }
  if (space == ' ') {
    size_t begin = s.find_first_not_of(' ');
    if (begin == std::string::npos) return "";
    s = s.substr(begin, s.find_last_not_of(' ') - begin + 1);
  }
  return s;
}

std::string NextExactString(Random& random, int length) {
  std::string s(std::max(length, 0), 'a');
  for (char& c : s) c = static_cast<char>('a' + random.NextInt(26));
  return s;
}

// Padding so that current_size + its length averages desired_average (StringsGenerator.nextExtra).
std::string NextExtra(Random& random, int current_size, int desired_average) {
  if (current_size > desired_average) return "";
  int desired = desired_average - current_size;
  int delta = static_cast<int>(std::lround(desired * 0.2));
  int size = desired - delta + (delta == 0 ? 0 : random.NextInt(2 * delta));
  return NextExactString(random, size);
}

// Prices in cents, log-uniform between $1 and $1M (PriceGenerator.nextPrice).
int64_t NextPrice(Random& random) {
  return std::llround(std::pow(10.0, random.NextDouble() * 6.0) * 100.0);
}

// The last person id created by event `event_id` (base 0): the current one for a person.
int64_t LastBase0PersonId(const GeneratorConfig& c, int64_t event_id) {
  int64_t epoch = event_id / c.total_proportion();
  int64_t offset = event_id % c.total_proportion();
  if (offset >= c.person_proportion) offset = c.person_proportion - 1;
  return epoch * c.person_proportion + offset;
}

// A person among the active ones, or a few ids ahead (base 0).
int64_t NextBase0PersonId(const GeneratorConfig& c, int64_t event_id, Random& random) {
  int64_t people = LastBase0PersonId(c, event_id) + 1;
  int64_t active = std::min<int64_t>(people, c.num_active_people);
  return people - active + random.NextLong(active + kPersonIdLead);
}

// The last auction id created by event `event_id` (base 0): the current one for an auction.
int64_t LastBase0AuctionId(const GeneratorConfig& c, int64_t event_id) {
  int64_t epoch = event_id / c.total_proportion();
  int64_t offset = event_id % c.total_proportion();
  if (offset < c.person_proportion) {
    --epoch;  // the last auction of the previous block
    offset = c.auction_proportion - 1;
  } else if (offset >= c.person_proportion + c.auction_proportion) {
    offset = c.auction_proportion - 1;
  } else {
    offset -= c.person_proportion;
  }
  return epoch * c.auction_proportion + offset;
}

// An auction likely still in flight, or a few ids ahead (base 0).
int64_t NextBase0AuctionId(const GeneratorConfig& c, int64_t event_id, Random& random) {
  int64_t max_auction = LastBase0AuctionId(c, event_id);
  int64_t min_auction = std::max<int64_t>(max_auction - c.num_in_flight_auctions, 0);
  return min_auction + random.NextLong(max_auction - min_auction + 1 + kAuctionIdLead);
}

// Auction lengths average the time until num_in_flight_auctions more auctions exist.
int64_t NextAuctionLengthMs(const GeneratorConfig& c, int64_t event_number, int64_t timestamp,
                            Random& random) {
  int64_t events_for_auctions =
      static_cast<int64_t>(c.num_in_flight_auctions) * c.total_proportion() / c.auction_proportion;
  int64_t horizon_ms = c.TimestampMs(event_number + events_for_auctions) - timestamp;
  return 1 + random.NextLong(std::max<int64_t>(horizon_ms * 2, 1));
}

std::string BaseUrl(Random& random) {
  return "https://www.nexmark.com/" + NextString(random, 5, '_') + "/" +
         NextString(random, 5, '_') + "/" + NextString(random, 5, '_') + "/item.htm?query=1";
}

// A channel's URL depends only on the channel (the reference caches one per channel).
std::string ChannelUrl(int channel) {
  Random random(0x6368616e6e656cULL + static_cast<uint64_t>(channel));
  std::string url = BaseUrl(random);
  if (random.NextInt(10) > 0) {
    // Java's Math.abs(Integer.reverse(channel)): the channel number's bits reversed.
    uint32_t reversed = 0;
    for (int bit = 0; bit < 32; ++bit) {
      reversed |= ((static_cast<uint32_t>(channel) >> bit) & 1u) << (31 - bit);
    }
    const int64_t id = static_cast<int32_t>(reversed);
    url += "&channel_id=" + std::to_string(id < 0 ? -id : id);
  }
  return url;
}

Person NextPerson(const GeneratorConfig& c, int64_t event_id, int64_t timestamp, Random& random) {
  Person p;
  p.id = LastBase0PersonId(c, event_id) + kFirstPersonId;
  p.name = std::string(kFirstNames[random.NextInt(Count(kFirstNames))]) + " " +
           kLastNames[random.NextInt(Count(kLastNames))];
  p.email_address = NextString(random, 7) + "@" + NextString(random, 5) + ".com";
  char card[24];
  std::snprintf(card, sizeof(card), "%04d %04d %04d %04d", random.NextInt(10000),
                random.NextInt(10000), random.NextInt(10000), random.NextInt(10000));
  p.credit_card = card;
  p.city = kUsCities[random.NextInt(Count(kUsCities))];
  p.state = kUsStates[random.NextInt(Count(kUsStates))];
  p.date_time_ms = timestamp;
  int size = static_cast<int>(8 + p.name.size() + p.email_address.size() + p.credit_card.size() +
                              p.city.size() + p.state.size());
  p.extra = NextExtra(random, size, c.avg_person_byte_size);
  return p;
}

Auction NextAuction(const GeneratorConfig& c, int64_t event_id, int64_t timestamp, Random& random) {
  Auction a;
  a.id = LastBase0AuctionId(c, event_id) + kFirstAuctionId;
  if (random.NextInt(c.hot_sellers_ratio) > 0) {
    a.seller = (LastBase0PersonId(c, event_id) / kHotSellerRatio) * kHotSellerRatio;
  } else {
    a.seller = NextBase0PersonId(c, event_id, random);
  }
  a.seller += kFirstPersonId;
  a.category = kFirstCategoryId + random.NextInt(kNumCategories);
  a.initial_bid = NextPrice(random);
  a.date_time_ms = timestamp;
  a.expires_ms = timestamp + NextAuctionLengthMs(c, event_id, timestamp, random);
  a.item_name = NextString(random, 20);
  a.description = NextString(random, 100);
  a.reserve = a.initial_bid + NextPrice(random);
  int size = static_cast<int>(8 + a.item_name.size() + a.description.size() + 40);
  a.extra = NextExtra(random, size, c.avg_auction_byte_size);
  return a;
}

Bid NextBid(const GeneratorConfig& c, int64_t event_id, int64_t timestamp, Random& random) {
  Bid b;
  if (random.NextInt(c.hot_auction_ratio) > 0) {
    b.auction = (LastBase0AuctionId(c, event_id) / kHotAuctionRatio) * kHotAuctionRatio;
  } else {
    b.auction = NextBase0AuctionId(c, event_id, random);
  }
  b.auction += kFirstAuctionId;
  if (random.NextInt(c.hot_bidders_ratio) > 0) {
    // The second person of the batch, so hot bidders and hot sellers differ.
    b.bidder = (LastBase0PersonId(c, event_id) / kHotBidderRatio) * kHotBidderRatio + 1;
  } else {
    b.bidder = NextBase0PersonId(c, event_id, random);
  }
  b.bidder += kFirstPersonId;
  b.price = NextPrice(random);
  if (random.NextInt(kHotChannelsRatio) > 0) {
    // One fixed URL per hot channel (the reference draws them once, at start).
    static const std::array<std::string, Count(kHotChannels)> kHotUrls = [] {
      std::array<std::string, Count(kHotChannels)> urls;
      Random url_random(0x686f74ULL);
      for (std::string& url : urls) url = BaseUrl(url_random);
      return urls;
    }();
    int i = random.NextInt(Count(kHotChannels));
    b.channel = kHotChannels[i];
    b.url = kHotUrls[i];
  } else {
    int channel = random.NextInt(kChannels);
    b.channel = "channel-" + std::to_string(channel);
    b.url = ChannelUrl(channel);
  }
  b.date_time_ms = timestamp;
  b.extra = NextExtra(random, 32, c.avg_bid_byte_size);
  return b;
}

void AppendString(std::string* out, const char* key, const std::string& value) {
  out->append("\"").append(key).append("\":\"");
  for (char ch : value) {
    if (ch == '"' || ch == '\\') out->push_back('\\');
    out->push_back(ch);
  }
  out->append("\",");
}

void AppendNumber(std::string* out, const char* key, int64_t value) {
  out->append("\"").append(key).append("\":").append(std::to_string(value)).append(",");
}

void AppendTime(std::string* out, const char* key, int64_t ms) {
  AppendString(out, key, FormatTimestampMs(ms));
}

std::string Close(std::string s) {
  s.back() = '}';
  return s;
}

}  // namespace

int64_t GeneratorConfig::TimestampMs(int64_t event_number) const {
  // interEventDelayUs = 1e6 / rate; timestampForEvent truncates µs to ms.
  return base_time_ms +
         static_cast<int64_t>(static_cast<double>(event_number) * (1e6 / events_per_second)) / 1000;
}

Event::Kind NexmarkGenerator::KindOf(int64_t event_number) const {
  int64_t rem = event_number % config_.total_proportion();
  if (rem < config_.person_proportion) return Event::Kind::kPerson;
  if (rem < config_.person_proportion + config_.auction_proportion) return Event::Kind::kAuction;
  return Event::Kind::kBid;
}

Event NexmarkGenerator::Generate(int64_t event_number) const {
  Random random(static_cast<uint64_t>(event_number));
  const int64_t timestamp = config_.TimestampMs(event_number);
  Event e;
  e.kind = KindOf(event_number);
  switch (e.kind) {
    case Event::Kind::kPerson:
      e.person = NextPerson(config_, event_number, timestamp, random);
      break;
    case Event::Kind::kAuction:
      e.auction = NextAuction(config_, event_number, timestamp, random);
      break;
    case Event::Kind::kBid:
      e.bid = NextBid(config_, event_number, timestamp, random);
      break;
  }
  return e;
}

std::string FormatTimestampMs(int64_t ms) {
  int64_t days = ms / 86400000;
  int64_t in_day = ms % 86400000;
  if (in_day < 0) {
    in_day += 86400000;
    --days;
  }
  // Civil date from days since 1970-01-01 (H. Hinnant's algorithm).
  int64_t z = days + 719468;
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  int64_t doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  int64_t d = doy - (153 * mp + 2) / 5 + 1;
  int64_t m = mp < 10 ? mp + 3 : mp - 9;
  int64_t y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  char buf[96];
  std::snprintf(buf, sizeof(buf), "%04lld-%02lld-%02lld %02lld:%02lld:%02lld.%03lld",
                static_cast<long long>(y), static_cast<long long>(m), static_cast<long long>(d),
                static_cast<long long>(in_day / 3600000),
                static_cast<long long>(in_day / 60000 % 60),
                static_cast<long long>(in_day / 1000 % 60), static_cast<long long>(in_day % 1000));
  return buf;
}

std::string ToJson(const Person& p) {
  std::string s = "{";
  AppendNumber(&s, "id", p.id);
  AppendString(&s, "name", p.name);
  AppendString(&s, "emailAddress", p.email_address);
  AppendString(&s, "creditCard", p.credit_card);
  AppendString(&s, "city", p.city);
  AppendString(&s, "state", p.state);
  AppendTime(&s, "dateTime", p.date_time_ms);
  AppendString(&s, "extra", p.extra);
  return Close(std::move(s));
}

std::string ToJson(const Auction& a) {
  std::string s = "{";
  AppendNumber(&s, "id", a.id);
  AppendString(&s, "itemName", a.item_name);
  AppendString(&s, "description", a.description);
  AppendNumber(&s, "initialBid", a.initial_bid);
  AppendNumber(&s, "reserve", a.reserve);
  AppendTime(&s, "dateTime", a.date_time_ms);
  AppendTime(&s, "expires", a.expires_ms);
  AppendNumber(&s, "seller", a.seller);
  AppendNumber(&s, "category", a.category);
  AppendString(&s, "extra", a.extra);
  return Close(std::move(s));
}

std::string ToJson(const Bid& b) {
  std::string s = "{";
  AppendNumber(&s, "auction", b.auction);
  AppendNumber(&s, "bidder", b.bidder);
  AppendNumber(&s, "price", b.price);
  AppendString(&s, "channel", b.channel);
  AppendString(&s, "url", b.url);
  AppendTime(&s, "dateTime", b.date_time_ms);
  AppendString(&s, "extra", b.extra);
  return Close(std::move(s));
}

}  // namespace nexmark
