// The session's calls (SimpleQuery, Extended, CopyData, CopyDone/CopyFail), whose
// completions may run on any thread (or inline), as awaitables for a connection coroutine:
// an answer given inline is taken at once, a later one resumes the coroutine on its own
// executor. The I/O thread never blocks on the engine.
#pragma once

#include <utility>  // before Asio: Boost 1.74 uses std::exchange without including it

#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio.hpp>

#include "ivm/error.h"
#include "protocol/backend.h"

namespace protocol {

inline std::vector<StatementResult> ErrorResults(ivm::Error error) {
  StatementResult result;
  result.kind = StatementResult::Kind::kError;
  result.error = std::move(error);
  std::vector<StatementResult> results;
  results.push_back(std::move(result));
  return results;
}

// An Asio operation completing with void(Result) once `resume`, which `install(resume)` is
// given, is called (exactly once, from any thread): the handler always runs on its
// associated executor, so a connection coroutine resumes on its own strand. Outstanding
// work is tracked on that executor until then, so the io_context keeps running.
template <typename Result, typename Install, typename CompletionToken>
auto AsyncAnswer(Install install, CompletionToken&& token) {
  return boost::asio::async_initiate<CompletionToken, void(Result)>(
      [](auto handler, Install install) {
        using Handler = decltype(handler);
        using TrackedExecutor =
            decltype(boost::asio::prefer(boost::asio::get_associated_executor(handler),
                                         boost::asio::execution::outstanding_work.tracked));
        TrackedExecutor tracked =
            boost::asio::prefer(boost::asio::get_associated_executor(handler),
                                boost::asio::execution::outstanding_work.tracked);
        struct State {
          std::optional<Handler> handler;
          std::optional<TrackedExecutor> executor;
        };
        auto state = std::make_shared<State>();
        state->handler.emplace(std::move(handler));
        state->executor.emplace(std::move(tracked));
        install([state](Result result) {
          auto target = *state->executor;
          boost::asio::post(target, [state, result = std::move(result)]() mutable {
            Handler resume = std::move(*state->handler);
            state->handler.reset();
            state->executor.reset();
            std::move(resume)(std::move(result));
          });
        });
      },
      token, std::move(install));
}

// Runs `start(done)`, where `done` is a std::function<void(Result)> the session calls exactly
// once, from any thread or inline, and awaits the answer. If `start` throws instead,
// `on_error(error)` is the answer. An answer given before `start` returns (on the calling
// thread, such as a key lookup) is taken at once: no trip through the io_context, which
// costs a wake-up and an epoll_wait, a good part of a point lookup's cost. A later answer
// resumes the coroutine through its executor (AsyncAnswer).
template <typename Result, typename Start, typename OnError>
boost::asio::awaitable<Result> CallSession(Start start, OnError on_error) {
  struct Pending {
    std::mutex mu;
    bool answered = false;
    std::optional<Result> result;        // an answer nobody waits for yet
    std::function<void(Result)> resume;  // the waiting coroutine, once it waits
  };
  auto pending = std::make_shared<Pending>();
  std::function<void(Result)> done = [pending](Result result) {
    std::unique_lock<std::mutex> lock(pending->mu);
    if (pending->answered) return;  // "exactly once", enforced
    pending->answered = true;
    if (!pending->resume) {
      pending->result = std::move(result);
      return;
    }
    std::function<void(Result)> resume = std::move(pending->resume);
    lock.unlock();
    resume(std::move(result));
  };
  try {
    start(done);
  } catch (const ivm::Error& error) {
    done(on_error(error));
  } catch (const std::exception& error) {
    done(on_error(ivm::Error(ivm::sqlstate::kInternalError, error.what())));
  }
  std::optional<Result> now;
  {
    std::lock_guard<std::mutex> lock(pending->mu);
    now.swap(pending->result);
  }
  if (now) co_return std::move(*now);
  // Not answered yet: wait. An answer that lands meanwhile is taken here instead.
  auto wait = [pending](std::function<void(Result)> resume) {
    std::unique_lock<std::mutex> lock(pending->mu);
    if (!pending->result) {
      pending->resume = std::move(resume);
      return;
    }
    Result result = std::move(*pending->result);
    pending->result.reset();
    lock.unlock();
    resume(std::move(result));
  };
  co_return co_await AsyncAnswer<Result>(std::move(wait), boost::asio::use_awaitable);
}

inline std::vector<ExtendedReply> ErrorReplies(ivm::Error error) {
  std::vector<ExtendedReply> replies(1);
  replies[0].result = std::move(ErrorResults(std::move(error))[0]);
  return replies;
}

// Session::SimpleQuery, awaited.
inline boost::asio::awaitable<std::vector<StatementResult>> AsyncSimpleQuery(Session& session,
                                                                             std::string sql) {
  return CallSession<std::vector<StatementResult>>(
      [&session,
       sql = std::move(sql)](std::function<void(std::vector<StatementResult>)> done) mutable {
        session.SimpleQuery(std::move(sql), std::move(done));
      },
      ErrorResults);
}

// Session::Extended, awaited. A session that throws answers with one ErrorResponse.
inline boost::asio::awaitable<std::vector<ExtendedReply>> AsyncExtended(
    Session& session, std::vector<ExtendedMessage> messages) {
  return CallSession<std::vector<ExtendedReply>>(
      [&session, messages = std::move(messages)](
          std::function<void(std::vector<ExtendedReply>)> done) mutable {
        session.Extended(std::move(messages), std::move(done));
      },
      ErrorReplies);
}

// The next rows of a result made while it is sent (StatementResult::more_rows), awaited.
// A source that throws ends the result with the error.
inline boost::asio::awaitable<MoreRows> AsyncMoreRows(const StatementResult& result) {
  return CallSession<MoreRows>(
      [&result](std::function<void(MoreRows)> next) { result.more_rows(std::move(next)); },
      [](const ivm::Error& error) {
        MoreRows failed;
        failed.last = true;
        failed.error = error;
        return failed;
      });
}

// Session::CopyData, awaited; false when the session refused the chunk.
inline boost::asio::awaitable<bool> AsyncCopyData(Session& session, std::string data) {
  return CallSession<bool>(
      [&session, data = std::move(data)](std::function<void(bool)> done) mutable {
        session.CopyData(std::move(data), std::move(done));
      },
      [](const ivm::Error&) { return false; });
}

// Session::CopyDone (`done`) or Session::CopyFail(message), awaited.
inline boost::asio::awaitable<std::vector<StatementResult>> AsyncCopyEnd(Session& session,
                                                                         bool done,
                                                                         std::string message) {
  return CallSession<std::vector<StatementResult>>(
      [&session, done, message = std::move(message)](
          std::function<void(std::vector<StatementResult>)> finished) mutable {
        if (done) {
          session.CopyDone(std::move(finished));
        } else {
          session.CopyFail(std::move(message), std::move(finished));
        }
      },
      ErrorResults);
}

}  // namespace protocol
