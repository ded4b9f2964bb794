#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <future>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "ivm/error.h"
#include "storage/database.h"
#include "storage/operator_state.h"
#include "storage/relation_store.h"
#include "storage/step_committer.h"
#include "tests/unit/temp_dir.h"

namespace {

using tributary_test::TempDir;

ivm::Row R(int id, const char* s) { return {ivm::Value::Int32(id), ivm::Value::Text(s)}; }

}  // namespace

TEST_CASE("a step batch reads its own writes and snapshots do not see later commits") {
  TempDir dir;
  auto db = storage::Database::Open(dir.path);
  storage::RelationStore table(7, {0});
  auto before = db->NewSnapshot();
  {
    auto batch = db->NewStepBatch();
    ivm::ZSet delta;
    delta.Add(R(1, "a"), 1);
    delta.Add(R(2, "b"), 1);
    table.Apply(*batch, delta);
    CHECK(table.ReadAll(*batch).size() == 2);
    CHECK(table.Lookup(*batch, {ivm::Value::Int32(2)})->at(1).string_value() == "b");
    batch->Commit(true);
  }
  CHECK(table.ReadAll(*before).empty());
  CHECK(table.ReadAll(*db->NewSnapshot()).size() == 2);
}

TEST_CASE("a large delta applies as the sum of its entries, keyed or not") {
  // Larger than the slices Apply reads its keys in, with a changed row's insertion placed
  // far ahead of its retraction (another slice), against a model of what each key holds.
  TempDir dir;
  auto db = storage::Database::Open(dir.path);
  storage::RelationStore keyed(7, {0}), bag(8, {});
  auto text = [](int i) { return "v" + std::to_string(i); };
  auto row = [](int id, const std::string& s) {
    return ivm::Row{ivm::Value::Int32(id), ivm::Value::Text(s)};
  };
  std::map<int, std::string> rows;  // keyed: id -> its value
  std::map<int, int64_t> counts;    // bag: id -> how many times row(id, "x") is held
  auto batch = db->NewStepBatch();
  ivm::ZSet first, bag_first;
  for (int id = 0; id < 10000; ++id) {
    first.Add(row(id, text(id)), 1);
    rows[id] = text(id);
    bag_first.Add(row(id, "x"), 1 + id % 3);
    counts[id] = 1 + id % 3;
  }
  keyed.Apply(*batch, first);
  bag.Apply(*batch, bag_first);
  batch->Commit(false);

  ivm::ZSet inserted, retracted, bag_delta;
  for (int id = 0; id < 6000; ++id) {  // changed
    inserted.Add(row(id, text(id + 1)), 1);
    retracted.Add(row(id, text(id)), -1);
    rows[id] = text(id + 1);
  }
  for (int id = 6000; id < 8000; ++id) {  // deleted
    retracted.Add(row(id, text(id)), -1);
    rows.erase(id);
  }
  for (int id = 10000; id < 13000; ++id) {  // new
    inserted.Add(row(id, text(id)), 1);
    rows[id] = text(id);
  }
  ivm::ZSet change = inserted;  // every insertion before any retraction
  change.Append(retracted);
  keyed.Apply(*batch, change);
  for (int id = 0; id < 12000; id += 2) {
    // Every other held row goes, the rest are held once more; new rows twice.
    const int64_t by = id >= 10000 ? 2 : id % 4 == 0 ? -counts[id] : 1;
    bag_delta.Add(row(id, "x"), by);
    counts[id] += by;
    if (counts[id] == 0) counts.erase(id);
  }
  bag.Apply(*batch, bag_delta);
  batch->Commit(false);

  auto snapshot = db->NewSnapshot();
  std::map<int, std::string> seen_rows;
  keyed.Scan(*snapshot, [&](const ivm::Row& r, int64_t weight) {
    CHECK(weight == 1);
    seen_rows[static_cast<int>(r[0].int_value())] = r[1].string_value();
    return true;
  });
  CHECK(seen_rows == rows);
  std::map<int, int64_t> seen_counts;
  bag.Scan(*snapshot, [&](const ivm::Row& r, int64_t weight) {
    seen_counts[static_cast<int>(r[0].int_value())] = weight;
    return true;
  });
  CHECK(seen_counts == counts);

  // A key that would hold two rows, found in a later slice than its first insertion.
  ivm::ZSet clash;
  for (int id = 20000; id < 25000; ++id) clash.Add(row(id, "new"), 1);
  clash.Add(row(20000, "again"), 1);
  CHECK_THROWS_AS(keyed.Apply(*batch, clash), ivm::Error);
}

TEST_CASE("a save point rolls back one statement's writes only") {
  TempDir dir;
  auto db = storage::Database::Open(dir.path);
  storage::RelationStore table(7, {0});
  auto batch = db->NewStepBatch();
  ivm::ZSet one, two;
  one.Add(R(1, "a"), 1);
  two.Add(R(2, "b"), 1);
  batch->SetSavePoint();
  table.Apply(*batch, one);
  batch->PopSavePoint();
  batch->SetSavePoint();
  table.Apply(*batch, two);
  batch->RollbackToSavePoint();
  batch->Commit(true);
  ivm::ZSet all = table.ReadAll(*db->NewSnapshot());
  REQUIRE(all.size() == 1);
  CHECK(all.entries()[0].row[0].int_value() == 1);
}

TEST_CASE("rolling back to a save point set on an empty batch empties it, others undo") {
  TempDir dir;
  auto db = storage::Database::Open(dir.path);
  auto batch = db->NewStepBatch();
  std::string value;
  // Set on an empty batch: the writes under it keep no undo entries, and rolling back to it
  // leaves nothing, while a save point nested in it still undoes its own writes only.
  batch->SetSavePoint();
  batch->Put("a", "1");
  batch->SetSavePoint();
  batch->Put("a", "2");
  batch->Put("b", "1");
  batch->RollbackToSavePoint();
  CHECK((batch->Get("a", &value) && value == "1"));
  CHECK_FALSE(batch->Get("b", &value));
  batch->SetSavePoint();
  batch->Delete("a");
  batch->PopSavePoint();
  CHECK_FALSE(batch->Get("a", &value));
  batch->RollbackToSavePoint();
  CHECK(batch->empty());
  // Set on a batch that holds writes: rolling back keeps them.
  batch->Put("x", "kept");
  batch->SetSavePoint();
  batch->Put("x", "changed");
  batch->Put("y", "1");
  batch->RollbackToSavePoint();
  CHECK((batch->Get("x", &value) && value == "kept"));
  CHECK_FALSE(batch->Get("y", &value));
  // And once committed, the batch is empty again for the next step's save point.
  batch->Commit(false);
  batch->SetSavePoint();
  batch->Put("z", "1");
  batch->RollbackToSavePoint();
  CHECK(batch->empty());
  CHECK((batch->Get("x", &value) && value == "kept"));
}

TEST_CASE("multiset relations keep weights and keyed ones refuse duplicates") {
  TempDir dir;
  auto db = storage::Database::Open(dir.path);
  storage::RelationStore bag(8, {});
  auto batch = db->NewStepBatch();
  ivm::ZSet twice;
  twice.Add(R(1, "a"), 2);
  bag.Apply(*batch, twice);
  ivm::ZSet once_less;
  once_less.Add(R(1, "a"), -1);
  bag.Apply(*batch, once_less);
  ivm::ZSet all = bag.ReadAll(*batch);
  REQUIRE(all.size() == 1);
  CHECK(all.entries()[0].weight == 1);
  storage::RelationStore keyed(9, {0});
  ivm::ZSet once;
  once.Add(R(1, "a"), 1);
  keyed.Apply(*batch, once);
  // A second copy under one key would break the map invariant: refused.
  CHECK_THROWS_AS(keyed.Apply(*batch, once), ivm::Error);
}

TEST_CASE("entries of one delta that share a key apply one after the other") {
  TempDir dir;
  auto db = storage::Database::Open(dir.path);
  auto batch = db->NewStepBatch();
  // Not consolidated: each entry adds to what the previous one left under the key.
  storage::RelationStore bag(8, {});
  ivm::ZSet twice;
  twice.Add(R(1, "a"), 1);
  twice.Add(R(2, "b"), 1);
  twice.Add(R(1, "a"), 1);
  bag.Apply(*batch, twice);
  ivm::ZSet all = bag.ReadAll(*batch);
  REQUIRE(all.size() == 2);
  CHECK(all.entries()[0].weight == 2);
  CHECK(all.entries()[1].weight == 1);
  ivm::ZSet gone;
  gone.Add(R(1, "a"), -1);
  gone.Add(R(1, "a"), -1);
  bag.Apply(*batch, gone);
  CHECK(bag.ReadAll(*batch).size() == 1);
  // Two new rows under one key: the second would make it hold two.
  storage::RelationStore keyed(9, {0});
  ivm::ZSet clash;
  clash.Add(R(5, "x"), 1);
  clash.Add(R(5, "y"), 1);
  CHECK_THROWS_AS(keyed.Apply(*batch, clash), ivm::Error);
}

TEST_CASE("a keyed row that changes is replaced under its key, whichever row sorts first") {
  TempDir dir;
  auto db = storage::Database::Open(dir.path);
  storage::RelationStore keyed(9, {0});
  auto batch = db->NewStepBatch();
  ivm::ZSet first;
  first.Add(R(1, "m"), 1);
  first.Add(R(2, "m"), 1);
  keyed.Apply(*batch, first);
  // One change sorts its new row before the old one, the other after it.
  ivm::ZSet change;
  change.Add(R(1, "m"), -1);
  change.Add(R(1, "a"), 1);
  change.Add(R(2, "m"), -1);
  change.Add(R(2, "z"), 1);
  change.Consolidate();
  keyed.Apply(*batch, change);
  batch->Commit(true);
  auto snapshot = db->NewSnapshot();
  CHECK(keyed.Lookup(*snapshot, {ivm::Value::Int32(1)}) == std::optional<ivm::Row>(R(1, "a")));
  CHECK(keyed.Lookup(*snapshot, {ivm::Value::Int32(2)}) == std::optional<ivm::Row>(R(2, "z")));
  CHECK(keyed.ReadAll(*snapshot).size() == 2);
  // Retracting a key that holds nothing is refused.
  auto next = db->NewStepBatch();
  ivm::ZSet missing;
  missing.Add(R(3, "m"), -1);
  CHECK_THROWS_AS(keyed.Apply(*next, missing), ivm::Error);
}

TEST_CASE("operator state is scoped to its prefix and ordered") {
  TempDir dir;
  auto db = storage::Database::Open(dir.path);
  auto batch = db->NewStepBatch();
  storage::OperatorState a(batch.get(), "s-a-"), b(batch.get(), "s-b-");
  a.Put("k1", "1");
  a.Put("k3", "3");
  a.Put("k2", "2");
  b.Put("k9", "9");
  std::string seen;
  a.Scan("k", [&](std::string_view key, std::string_view value) {
    seen += std::string(key) + "=" + std::string(value) + ";";
    return true;
  });
  CHECK(seen == "k1=1;k2=2;k3=3;");
  std::string key, value;
  REQUIRE(a.Last("k", &key, &value));
  CHECK(key == "k3");
  CHECK_FALSE(b.Get("k1", &value));
}

TEST_CASE("the data directory is locked against a second server") {
  TempDir dir;
  auto db = storage::Database::Open(dir.path);
  CHECK_THROWS_AS(storage::Database::Open(dir.path), ivm::Error);
  db.reset();
  CHECK_NOTHROW(storage::Database::Open(dir.path));
}

TEST_CASE("a step batch reads many keys at once, across RocksDB's lookup batches") {
  // 200 keys, a third committed, some of those and others written or deleted in the step:
  // more than RocksDB looks up together (32), with the step's keys in between.
  TempDir dir;
  auto db = storage::Database::Open(dir.path);
  auto key = [](int i) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "k%03d", i);
    return std::string(buf);
  };
  std::map<std::string, std::string> expected;
  auto batch = db->NewStepBatch();
  for (int i = 0; i < 200; i += 3) {
    batch->Put(key(i), "committed " + std::to_string(i));
    expected[key(i)] = "committed " + std::to_string(i);
  }
  batch->Commit(false);
  for (int i = 0; i < 200; i += 7) {
    if (i % 2) {
      batch->Delete(key(i));
      expected.erase(key(i));
    } else {
      batch->Put(key(i), "written " + std::to_string(i));
      expected[key(i)] = "written " + std::to_string(i);
    }
  }
  std::vector<std::string> names;
  for (int i = 0; i < 200; ++i) names.push_back(key(i));
  std::vector<std::string_view> keys(names.begin(), names.end());
  std::map<std::string, std::string> seen;
  size_t next = 0;
  batch->MultiGet(keys, [&](size_t i, std::string_view value) {
    CHECK(i >= next);  // in order, each key once
    next = i + 1;
    seen[names[i]] = std::string(value);
  });
  CHECK(seen == expected);
}

TEST_CASE("a step batch merges its writes, deletions and save points over the database") {
  // A model (a std::map per save point level) against the batch, under random operations
  // on a small key space, so that writes often shadow committed keys and each other.
  TempDir dir;
  auto db = storage::Database::Open(dir.path);
  auto batch = db->NewStepBatch();
  std::map<std::string, std::string> committed;
  std::vector<std::map<std::string, std::string>> levels{committed};  // back(): current
  std::mt19937 random(42);
  auto pick_key = [&] {
    const char* prefixes[] = {"a", "ab", "b"};
    return std::string(prefixes[random() % 3]) + static_cast<char>('0' + random() % 6);
  };
  for (int op = 0; op < 4000; ++op) {
    const int what = static_cast<int>(random() % 100);
    auto& now = levels.back();
    if (what < 35) {
      // Some values are empty: a key written with nothing is there, unlike a deleted one.
      std::string key = pick_key(), value = op % 7 == 0 ? "" : std::to_string(op);
      batch->Put(key, value);
      now[key] = value;
    } else if (what < 50) {
      std::string key = pick_key();
      batch->Delete(key);
      now.erase(key);
    } else if (what < 53) {
      batch->DeletePrefix("ab");
      for (auto it = now.begin(); it != now.end();) {
        it = it->first.rfind("ab", 0) == 0 ? now.erase(it) : std::next(it);
      }
    } else if (what < 58) {
      batch->SetSavePoint();
      levels.push_back(now);
    } else if (what < 62 && levels.size() > 1) {
      batch->RollbackToSavePoint();
      levels.pop_back();
    } else if (what < 66 && levels.size() > 1) {
      batch->PopSavePoint();
      auto kept = levels.back();
      levels.pop_back();
      levels.back() = kept;
    } else if (what < 68 && levels.size() == 1) {
      batch->Commit(false);
      committed = now;
    } else {
      // Reads: a point read, several at once, a scan and the last key of a prefix.
      std::string key = pick_key(), value;
      auto found = now.find(key);
      REQUIRE(batch->Get(key, &value) == (found != now.end()));
      if (found != now.end()) CHECK(value == found->second);
      std::set<std::string> wanted;
      for (int k = 0; k < 5; ++k) wanted.insert(pick_key());
      std::vector<std::string_view> keys(wanted.begin(), wanted.end());
      std::vector<std::optional<std::string>> values(keys.size());
      size_t last = 0;
      batch->MultiGet(keys, [&](size_t k, std::string_view value) {
        CHECK((k >= last && !values[k]));  // each key once, in order
        last = k;
        values[k].emplace(value);
      });
      for (size_t k = 0; k < keys.size(); ++k) {
        auto it = now.find(std::string(keys[k]));
        REQUIRE(values[k].has_value() == (it != now.end()));
        if (values[k]) CHECK(*values[k] == it->second);
      }
      {  // A key range, from one random key to another (possibly before it: empty).
        const std::string start = pick_key(), end = pick_key();
        std::string seen, expected;
        batch->ScanRange(start, end, [&](std::string_view k, std::string_view v) {
          seen += std::string(k) + "=" + std::string(v) + ";";
          return true;
        });
        for (auto it = now.lower_bound(start); it != now.end() && it->first < end; ++it) {
          expected += it->first + "=" + it->second + ";";
        }
        REQUIRE(seen == expected);
      }
      for (const char* prefix : {"a", "ab", "b", ""}) {
        std::string seen, expected, last_key, last_value, want_key;
        batch->Scan(prefix, [&](std::string_view k, std::string_view v) {
          seen += std::string(k) + "=" + std::string(v) + ";";
          return true;
        });
        for (const auto& [k, v] : now) {
          if (k.rfind(prefix, 0) == 0) {
            expected += k + "=" + v + ";";
            want_key = k;
          }
        }
        REQUIRE(seen == expected);
        REQUIRE(batch->Last(prefix, &last_key, &last_value) == !want_key.empty());
        if (!want_key.empty()) {
          CHECK(last_key == want_key);
          CHECK(last_value == now[want_key]);
        }
      }
    }
  }
  // What was committed is what the database holds.
  std::map<std::string, std::string> stored;
  db->NewSnapshot()->Scan("", [&](std::string_view k, std::string_view v) {
    stored.emplace(k, v);
    return true;
  });
  CHECK(stored == committed);
}

TEST_CASE("a step batch's scans see what was committed since, and may nest") {
  // A batch keeps one database iterator for its scans; a commit from elsewhere must not
  // leave it reading the database as it was, and a scan inside another's visit (which
  // cannot borrow the iterator being visited) must see the same keys.
  TempDir dir;
  auto db = storage::Database::Open(dir.path);
  auto keys = [](storage::StepBatch& batch, std::string_view prefix) {
    std::string seen;
    batch.Scan(prefix, [&](std::string_view k, std::string_view) {
      seen += std::string(k) + ";";
      return true;
    });
    return seen;
  };
  auto batch = db->NewStepBatch();
  batch->Put("k1", "a");
  batch->Put("j1", "x");
  batch->Put("m1", "y");  // past the end of the "k" scans: a bound must stop them
  batch->Commit(false);
  CHECK(keys(*batch, "k") == "k1;");
  {
    auto other = db->NewStepBatch();
    other->Put("k2", "b");
    other->Delete("k1");
    other->Commit(false);
  }
  CHECK(keys(*batch, "k") == "k2;");
  std::string last_key, last_value;
  CHECK(batch->Last("k", &last_key, &last_value));
  CHECK(last_key == "k2");
  batch->Put("k3", "c");
  std::string outer, inner;
  batch->ScanRange("a", "z", [&](std::string_view k, std::string_view) {
    outer += std::string(k) + ";";
    inner += keys(*batch, "k") + "|";
    std::string key, value;
    CHECK(batch->Last("j", &key, &value));
    CHECK(key == "j1");
    return true;
  });
  CHECK(outer == "j1;k2;k3;m1;");
  CHECK(inner == "k2;k3;|k2;k3;|k2;k3;|k2;k3;|");
  CHECK(keys(*batch, "k") == "k2;k3;");  // the iterator is free again after the nesting
}

TEST_CASE("rolling back or releasing a save point that was never set is an error") {
  TempDir dir;
  auto db = storage::Database::Open(dir.path);
  auto batch = db->NewStepBatch();
  CHECK_THROWS_AS(batch->RollbackToSavePoint(), ivm::Error);
  CHECK_THROWS_AS(batch->PopSavePoint(), ivm::Error);
}

TEST_CASE("a step batch reads through the batch below it while that one is written") {
  TempDir dir;
  auto db = storage::Database::Open(dir.path);
  auto seed = db->NewStepBatch();
  seed->Put("k0", "stored");
  seed->Put("k2", "stored");
  seed->Commit(false);

  auto below = db->NewStepBatch();
  below->Delete("k0");
  below->Put("k1", "below");
  below->Put("k2", "below");
  std::promise<void> written;
  auto top = db->NewStepBatch();
  top->ReadThrough(below.get(), written.get_future().share());
  top->Put("k2", "top");
  // Point reads: this batch's writes, then the one below, then the database.
  std::string value;
  CHECK_FALSE(top->Get("k0", &value));
  CHECK((top->Get("k1", &value) && value == "below"));
  CHECK((top->Get("k2", &value) && value == "top"));
  std::vector<std::string_view> keys{"k0", "k1", "k2", "k3"};
  std::string seen;
  top->MultiGet(keys, [&](size_t i, std::string_view v) {
    seen += std::string(keys[i]) + "=" + std::string(v) + ";";
  });
  CHECK(seen == "k1=below;k2=top;");

  // A scan merges both batches over the database, before, while and after the batch
  // below is written there: it sees the same either way.
  auto scan = [&] {
    std::string out;
    top->Scan("k", [&](std::string_view k, std::string_view v) {
      out += std::string(k) + "=" + std::string(v) + ";";
      return true;
    });
    return out;
  };
  CHECK(scan() == "k1=below;k2=top;");
  // The write starts once three scans are done (or after 5 s: a scan that waited for it
  // would not get there), and scans go on while it is written.
  std::atomic<int> scans = 0;
  std::atomic<bool> landed = false;
  int scans_before_write = 0;
  std::thread committer([&] {
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (scans < 3 && std::chrono::steady_clock::now() < give_up) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    scans_before_write = scans;
    below->Persist(false);
    landed = true;
    written.set_value();
  });
  while (!landed) {
    CHECK(scan() == "k1=below;k2=top;");
    ++scans;
  }
  committer.join();
  CHECK(scans_before_write >= 3);
  CHECK(scan() == "k1=below;k2=top;");

  // Last waits until the batch below is in the database, then reads it there.
  std::string key;
  CHECK((top->Last("k", &key, &value) && key == "k2" && value == "top"));
  below.reset();  // no longer read: Last settled it
  CHECK((top->Get("k1", &value) && value == "below"));
  CHECK(scan() == "k1=below;k2=top;");
  top->Commit(false);
  seen.clear();
  db->NewSnapshot()->Scan("", [&](std::string_view k, std::string_view v) {
    seen += std::string(k) + "=" + std::string(v) + ";";
    return true;
  });
  CHECK(seen == "k1=below;k2=top;");
}

TEST_CASE("the step committer writes batches in order while the next reads through them") {
  // Each step increments every counter it reads through the one before, as the engine's
  // steps do; the last value of each is right only if no step missed the one before it.
  TempDir dir;
  auto db = storage::Database::Open(dir.path);
  storage::StepCommitter committer;
  std::unique_ptr<storage::StepBatch> in_flight;
  std::shared_future<void> written;
  std::mt19937 random(7);
  std::map<std::string, int> model;
  for (int step = 0; step < 300; ++step) {
    auto batch = db->NewStepBatch();
    if (in_flight) batch->ReadThrough(in_flight.get(), written);
    for (int k = 0; k < 20; ++k) {
      std::string key = "c" + std::to_string(random() % 50), value;
      int now = batch->Get(key, &value) ? std::stoi(value) : 0;
      batch->Put(key, std::to_string(now + 1));
      ++model[key];
    }
    if (step % 10 == 0) {  // now and then a scan, through the write below
      int counted = 0;
      batch->Scan("c", [&](std::string_view, std::string_view v) {
        counted += std::stoi(std::string(v));
        return true;
      });
      CHECK(counted == (step + 1) * 20);
    }
    if (in_flight) {
      written.get();
      batch->ReadThrough(nullptr, {});
    }
    in_flight = std::move(batch);
    written = committer.Commit(in_flight.get(), false);
  }
  written.get();
  std::map<std::string, int> stored;
  db->NewSnapshot()->Scan("c", [&](std::string_view k, std::string_view v) {
    stored[std::string(k)] = std::stoi(std::string(v));
    return true;
  });
  CHECK(stored == model);
}

TEST_CASE("scans in later steps see what was committed since, through the shared iterator") {
  TempDir dir;
  auto db = storage::Database::Open(dir.path);
  auto scan = [&](storage::StepBatch& batch) {
    std::string out;
    batch.Scan("k", [&](std::string_view k, std::string_view v) {
      out += std::string(k) + "=" + std::string(v) + ";";
      return true;
    });
    return out;
  };
  auto step = [&](const std::string& key, const std::string& value) {
    auto batch = db->NewStepBatch();
    std::string before = scan(*batch);  // made (or refreshed) before this step's write
    batch->Put(key, value);
    batch->Commit(false);
    return before;
  };
  CHECK(step("k1", "a").empty());
  CHECK(step("k2", "b") == "k1=a;");
  CHECK(step("k1", "c") == "k1=a;k2=b;");  // refreshed: same memtable, later sequence
  db->raw()->Flush(rocksdb::FlushOptions());
  CHECK(step("k3", "d") == "k1=c;k2=b;");  // refreshed over a new memtable and table file
  db->ReleaseScanIterator();
  CHECK(step("k4", "e") == "k1=c;k2=b;k3=d;");  // made afresh
  // A scan inside another's visit takes an iterator of its own.
  auto batch = db->NewStepBatch();
  std::string nested;
  batch->Scan("k1", [&](std::string_view, std::string_view) {
    nested = scan(*batch);
    return true;
  });
  CHECK(nested == "k1=c;k2=b;k3=d;k4=e;");
}
