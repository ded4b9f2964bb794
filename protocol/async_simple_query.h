// AsyncSimpleQuery and AsyncExtended turn Session::SimpleQuery and Session::Extended, whose
// completions may run on any thread (or inline), into Asio operations: the handler always
// runs on its associated executor, so a connection coroutine resumes on its own strand. The
// I/O thread never blocks on the engine.
#pragma once

#include <utility>  // before Asio: Boost 1.74 uses std::exchange without including it

#include <atomic>
#include <exception>
#include <functional>
#include <memory>
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

// Runs `start(done)`, where `done` is a std::function<void(Result)> the session calls exactly
// once from any thread (or inline), as an Asio operation completing with void(Result): the
// handler always runs on its associated executor, so a connection coroutine resumes on its
// own strand. If `start` throws instead of calling `done`, `on_error(error)` is the result.
// Outstanding work is tracked on the handler's executor until the session calls back, so
// the io_context keeps running.
template <typename Result, typename Start, typename OnError, typename CompletionToken>
auto AsyncSessionCall(Start start, OnError on_error, CompletionToken&& token) {
  return boost::asio::async_initiate<CompletionToken, void(Result)>(
      [](auto handler, Start start, OnError on_error) {
        using Handler = decltype(handler);
        using TrackedExecutor =
            decltype(boost::asio::prefer(boost::asio::get_associated_executor(handler),
                                         boost::asio::execution::outstanding_work.tracked));
        TrackedExecutor tracked =
            boost::asio::prefer(boost::asio::get_associated_executor(handler),
                                boost::asio::execution::outstanding_work.tracked);
        struct State {
          std::atomic<bool> fired{false};
          std::optional<Handler> handler;
          std::optional<TrackedExecutor> executor;
        };
        auto state = std::make_shared<State>();
        state->handler.emplace(std::move(handler));
        state->executor.emplace(std::move(tracked));
        std::function<void(Result)> done = [state](Result result) {
          if (state->fired.exchange(true)) return;  // "exactly once", enforced
          auto target = *state->executor;
          boost::asio::post(target, [state, result = std::move(result)]() mutable {
            Handler resume = std::move(*state->handler);
            state->handler.reset();
            state->executor.reset();
            std::move(resume)(std::move(result));
          });
        };
        try {
          start(done);
        } catch (const ivm::Error& error) {
          done(on_error(error));
        } catch (const std::exception& error) {
          done(on_error(ivm::Error(ivm::sqlstate::kInternalError, error.what())));
        }
      },
      token, std::move(start), std::move(on_error));
}

// Session::SimpleQuery as an Asio operation completing with void(std::vector<StatementResult>).
template <typename CompletionToken>
auto AsyncSimpleQuery(Session& session, std::string sql, CompletionToken&& token) {
  return AsyncSessionCall<std::vector<StatementResult>>(
      [&session, sql = std::move(sql)](std::function<void(std::vector<StatementResult>)> done) mutable {
        session.SimpleQuery(std::move(sql), std::move(done));
      },
      [](ivm::Error error) { return ErrorResults(std::move(error)); },
      std::forward<CompletionToken>(token));
}

// Session::Extended as an Asio operation completing with void(std::vector<ExtendedReply>).
// A session that throws answers with one ErrorResponse.
template <typename CompletionToken>
auto AsyncExtended(Session& session, std::vector<ExtendedMessage> messages,
                   CompletionToken&& token) {
  return AsyncSessionCall<std::vector<ExtendedReply>>(
      [&session, messages = std::move(messages)](
          std::function<void(std::vector<ExtendedReply>)> done) mutable {
        session.Extended(std::move(messages), std::move(done));
      },
      [](ivm::Error error) {
        std::vector<ExtendedReply> replies(1);
        replies[0].result = std::move(ErrorResults(std::move(error))[0]);
        return replies;
      },
      std::forward<CompletionToken>(token));
}

// Session::CopyData as an Asio operation completing with void(bool). (A plain function, like
// the ones above: g++ 12 mishandles lambdas with captures built inside a co_await.)
template <typename CompletionToken>
auto AsyncCopyData(Session& session, std::string data, CompletionToken&& token) {
  return AsyncSessionCall<bool>(
      [&session, data = std::move(data)](std::function<void(bool)> done) mutable {
        session.CopyData(std::move(data), std::move(done));
      },
      [](const ivm::Error&) { return false; }, std::forward<CompletionToken>(token));
}

// Session::CopyDone (`done`) or Session::CopyFail(message) as an Asio operation completing
// with void(std::vector<StatementResult>).
template <typename CompletionToken>
auto AsyncCopyEnd(Session& session, bool done, std::string message, CompletionToken&& token) {
  return AsyncSessionCall<std::vector<StatementResult>>(
      [&session, done, message = std::move(message)](
          std::function<void(std::vector<StatementResult>)> finished) mutable {
        if (done) {
          session.CopyDone(std::move(finished));
        } else {
          session.CopyFail(std::move(message), std::move(finished));
        }
      },
      [](ivm::Error error) { return ErrorResults(std::move(error)); },
      std::forward<CompletionToken>(token));
}

}  // namespace protocol
