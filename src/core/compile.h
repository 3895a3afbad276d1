// The rule compiler: one parsed rule file ("subsidy-rules/1") → a Document whose conditions and
// formulas are compiled trees (core/model.h) with fact names resolved to vocabulary indexes, every
// derived field (applicant and role masks, stacking group of each rule) set, and every problem of
// the file reported to the Reader (file:line:col, JSON path, code) rather than thrown. The rule
// language it reads is defined by the tables of core/ops.h.
//
// The returned Document owns everything it holds (no view into `root`'s text); `vocabulary` must
// be final (indexed) and is only read. Not thread-safe across calls sharing one Reader.
#pragma once

#include "core/json.h"
#include "core/model.h"
#include "core/reader.h"

namespace subsidy {

Document read_document(const json::Value& root, const Vocabulary& vocabulary, Reader& reader);

}  // namespace subsidy
