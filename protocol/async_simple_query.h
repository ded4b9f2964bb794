// AsyncSimpleQuery turns Session::SimpleQuery, whose completion may run on any thread (or
// inline), into an Asio operation: the handler always runs on its associated executor, so a
// connection coroutine resumes on its own strand. The I/O thread never blocks on the engine.
#pragma once

#include <utility>  // before Asio: Boost 1.74 uses std::exchange without including it

#include <atomic>
#include <exception>
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

// Completes with signature void(std::vector<StatementResult>). If SimpleQuery throws instead
// of calling `done`, the exception becomes one kError result. Outstanding work is tracked
// on the handler's executor until the engine calls back, so the io_context keeps running.
template <typename CompletionToken>
auto AsyncSimpleQuery(Session& session, std::string sql, CompletionToken&& token) {
  return boost::asio::async_initiate<CompletionToken, void(std::vector<StatementResult>)>(
      [&session](auto handler, std::string query) {
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
        auto done = [state](std::vector<StatementResult> results) {
          if (state->fired.exchange(true)) return;  // "exactly once", enforced
          auto target = *state->executor;
          boost::asio::post(target, [state, results = std::move(results)]() mutable {
            Handler resume = std::move(*state->handler);
            state->handler.reset();
            state->executor.reset();
            std::move(resume)(std::move(results));
          });
        };
        try {
          session.SimpleQuery(std::move(query), done);
        } catch (const ivm::Error& error) {
          done(ErrorResults(error));
        } catch (const std::exception& error) {
          done(ErrorResults(ivm::Error(ivm::sqlstate::kInternalError, error.what())));
        }
      },
      token, std::move(sql));
}

}  // namespace protocol
