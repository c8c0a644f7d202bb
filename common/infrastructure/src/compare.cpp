#include "nn/compare.hpp"

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <ostream>
#include <set>
#include <sstream>

namespace nn {
namespace {

constexpr double rounding = 1e-9;         // relative: the same sums in another order
constexpr double first_epoch_bar = 1e-6;  // relative: one epoch of training, rounding only
constexpr double gradient_bar = 1e-7;     // the course's gradient-check tolerance
constexpr double accuracy_close = 0.005;  // half a point of accuracy after training
constexpr double relative_close = 0.01;   // 1% for other trained results

// ---------------------------------------------------------------------------
// Walking the two files side by side
// ---------------------------------------------------------------------------

// Where a value sits while walking the files.
struct Where {
    std::string name, group, element, field;
    int epoch = 0;
    MetricKind kind = MetricKind::result;
};

const Json* child(const Json* node, const std::string& key) {
    if (!node || !node->is_object()) return nullptr;
    const auto found = node->find(key);
    return found == node->end() ? nullptr : &*found;
}

const Json* item(const Json* node, std::size_t i) {
    return node && node->is_array() && i < node->size() ? &(*node)[i] : nullptr;
}

std::size_t array_size(const Json* node) { return node && node->is_array() ? node->size() : 0; }

Where enter_key(const Where& at, const std::string& key) {
    Where next = at;
    next.name = at.name.empty() ? key : at.name + "." + key;
    next.field = key;
    if (key.find("seconds") != std::string::npos)
        next.kind = MetricKind::timing;
    else if (key == "initialisation")
        next.kind = MetricKind::initialisation;
    else if (key == "features")
        next.kind = MetricKind::features;
    else if (key.find("gradient_check") != std::string::npos)
        next.kind = MetricKind::check_row;
    else if (at.name.empty() && (key == "chapter" || key == "seed" || key == "dataset"))
        next.kind = MetricKind::setting;
    return next;
}

// An element's label: its epoch, parameter, layer or class if it names one, else its index.
std::string element_label(const Json* yours, const Json* reference, std::size_t index, int& epoch) {
    for (const Json* element : {yours, reference}) {
        if (const Json* e = child(element, "epoch"); e && e->is_number_integer()) {
            epoch = e->get<int>();
            return "epoch " + std::to_string(epoch);
        }
        if (const Json* p = child(element, "parameter"); p && p->is_string()) return p->get<std::string>();
        for (const char* key : {"layer", "class"})
            if (const Json* n = child(element, key); n && n->is_number_integer())
                return key + (" " + std::to_string(n->get<int>()));
    }
    return std::to_string(index);
}

Where enter_element(const Where& at, const Json* yours, const Json* reference, std::size_t index) {
    Where next = at;
    int epoch = 0;
    next.name = at.name + "[" + element_label(yours, reference, index, epoch) + "]";
    if (at.group.empty()) next.group = at.name, next.element = next.name;
    next.field.clear();
    if (epoch > 0 && at.kind == MetricKind::result) next.kind = MetricKind::history, next.epoch = epoch;
    return next;
}

void judge(ComparedValue& value);

void walk(const Json* yours, const Json* reference, const Where& at, std::vector<ComparedValue>& out) {
    const auto all = [&](auto is) { return (!yours || is(*yours)) && (!reference || is(*reference)); };
    if (all([](const Json& j) { return j.is_object(); })) {
        std::vector<std::string> keys;
        for (const Json* node : {yours, reference})
            if (node)
                for (const auto& entry : node->items())
                    if (std::find(keys.begin(), keys.end(), entry.key()) == keys.end()) keys.push_back(entry.key());
        for (const auto& key : keys) walk(child(yours, key), child(reference, key), enter_key(at, key), out);
    } else if (all([](const Json& j) { return j.is_array(); })) {
        const std::size_t n = std::max(array_size(yours), array_size(reference));
        for (std::size_t i = 0; i < n; ++i)
            walk(item(yours, i), item(reference, i), enter_element(at, item(yours, i), item(reference, i), i), out);
    } else {
        ComparedValue value{at.name, at.group, at.element, at.field, at.epoch, at.kind, {}, {}, Verdict::same, {}};
        if (yours) value.yours = *yours;
        if (reference) value.reference = *reference;
        judge(value);
        out.push_back(value);
    }
}

// ---------------------------------------------------------------------------
// Verdicts
// ---------------------------------------------------------------------------

bool numbers(const ComparedValue& v) {
    return v.yours && v.reference && v.yours->is_number() && v.reference->is_number();
}

// Equal within a relative tolerance (with a tiny absolute floor for values near 0).
bool within(double a, double b, double relative) {
    return std::abs(a - b) <= relative * std::max(std::abs(a), std::abs(b)) + 1e-15;
}

bool within(const ComparedValue& v, double relative) {
    return numbers(v) && within(v.yours->get<double>(), v.reference->get<double>(), relative);
}

// As close as a trained result that drifted by rounding plausibly gets.
bool close_enough(const ComparedValue& v) {
    if (!numbers(v)) return false;
    for (const char* fraction : {"accuracy", "gap", "precision", "recall"})
        if (v.field.find(fraction) != std::string::npos)
            return std::abs(v.yours->get<double>() - v.reference->get<double>()) <= accuracy_close;
    return within(v, relative_close);
}

void set(ComparedValue& v, Verdict verdict, std::string why) {
    v.verdict = verdict;
    v.why = std::move(why);
}

// The verdict a value gets on its own; histories, initialisation and
// gradient checks are refined with their neighbours afterwards.
void judge(ComparedValue& v) {
    if (!v.yours) return set(v, Verdict::missing, "");
    if (!v.reference) return set(v, Verdict::extra, "");
    if (v.kind == MetricKind::timing) return set(v, Verdict::timing, "");
    if (!numbers(v))
        return *v.yours == *v.reference ? set(v, Verdict::same, "") : set(v, Verdict::differs, "another value");
    if (within(v, rounding)) return set(v, Verdict::same, "");
    if (v.kind == MetricKind::setting) return set(v, Verdict::differs, "not run the same way");
    if (v.kind == MetricKind::initialisation) return set(v, Verdict::differs, "drawn differently");
    if (v.kind == MetricKind::features) return set(v, Verdict::differs, "inputs computed differently");
    if (close_enough(v)) return set(v, Verdict::close, "within tolerance");
    set(v, Verdict::differs, "beyond tolerance");
}

bool unequal(const ComparedValue& v) { return v.verdict == Verdict::close || v.verdict == Verdict::differs; }

std::vector<std::size_t> members(const std::vector<ComparedValue>& values, MetricKind kind,
                                 const std::string ComparedValue::*by, const std::string& key) {
    std::vector<std::size_t> found;
    for (std::size_t i = 0; i < values.size(); ++i)
        if (values[i].kind == kind && values[i].*by == key) found.push_back(i);
    return found;
}

std::vector<std::string> distinct(const std::vector<ComparedValue>& values, MetricKind kind,
                                  const std::string ComparedValue::*by) {
    std::vector<std::string> found;
    for (const auto& v : values)
        if (v.kind == kind && std::find(found.begin(), found.end(), v.*by) == found.end()) found.push_back(v.*by);
    return found;
}

// A history whose first epoch already differs computes something else; one
// whose first epoch agrees can drift apart later by rounding.
void judge_history(std::vector<ComparedValue>& values, const std::vector<std::size_t>& rows) {
    int first = 0;
    for (const auto i : rows) first = first ? std::min(first, values[i].epoch) : values[i].epoch;
    bool start_differs = false;
    for (const auto i : rows)
        if (values[i].epoch == first && values[i].field == "loss" && numbers(values[i]))
            start_differs = !within(values[i], first_epoch_bar);
    for (const auto i : rows) {
        ComparedValue& v = values[i];
        if (!unequal(v)) continue;
        if (start_differs) {
            set(v, Verdict::differs,
                v.epoch == first ? "differs from the first epoch" : "follows from the first epoch");
        } else if (close_enough(v)) {
            set(v, Verdict::close, v.epoch == first ? "rounding, same start" : "rounding drift, same start");
        } else {
            set(v, Verdict::differs, "differs from epoch " + std::to_string(v.epoch) + ", same start");
        }
    }
}

// Weights drawn differently, or the same weights through another activation.
void judge_initialisation(std::vector<ComparedValue>& values, const std::vector<std::size_t>& rows) {
    bool weights_differ = false;
    for (const auto i : rows) {
        ComparedValue& v = values[i];
        if (!unequal(v)) continue;
        if (v.field.rfind("weights", 0) == 0) {
            weights_differ = true;
            set(v, Verdict::differs, "initial weights drawn differently");
        } else {
            set(v, Verdict::differs, weights_differ ? "follows from the weights" : "same weights, other activations");
        }
    }
}

const ComparedValue* field_of(const std::vector<ComparedValue>& values, const std::vector<std::size_t>& rows,
                              const std::string& field) {
    for (const auto i : rows)
        if (values[i].field == field) return &values[i];
    return nullptr;
}

bool same_place(const std::vector<ComparedValue>& values, const std::vector<std::size_t>& rows) {
    for (const char* field : {"row", "col"}) {
        const ComparedValue* v = field_of(values, rows, field);
        if (!v || v->verdict != Verdict::same) return false;
    }
    return true;
}

void judge_relative_error(ComparedValue& v, bool yours_fail, bool reference_fail) {
    if (yours_fail && !reference_fail) return set(v, Verdict::differs, "wrong gradient? error >= 1e-7");
    if (!yours_fail && reference_fail) return set(v, Verdict::differs, "the reference's check fails here, yours not");
    if (!yours_fail) return set(v, Verdict::close, "both pass, < 1e-7");
    if (within(v, first_epoch_bar)) return set(v, Verdict::close, "both fail the same way");
    set(v, Verdict::differs, "both fail, by different amounts");
}

// A relative error of 1e-7 or more means a wrong gradient; below it, where
// the largest tiny error sits depends on rounding.
void judge_gradient_row(std::vector<ComparedValue>& values, const std::vector<std::size_t>& rows) {
    const ComparedValue* error = field_of(values, rows, "relative_error");
    if (!error || !numbers(*error)) return;
    const bool yours_fail = error->yours->get<double>() >= gradient_bar;
    const bool reference_fail = error->reference->get<double>() >= gradient_bar;
    const bool here = same_place(values, rows);
    for (const auto i : rows) {
        ComparedValue& v = values[i];
        if (!unequal(v)) continue;
        if (v.field == "relative_error")
            judge_relative_error(v, yours_fail, reference_fail);
        else if (yours_fail != reference_fail)
            set(v, Verdict::differs, "see its relative error");
        else if (here)
            within(v, first_epoch_bar) ? set(v, Verdict::close, "rounding")
                                       : set(v, Verdict::differs, "same element, another gradient");
        else
            yours_fail ? set(v, Verdict::differs, "the error is elsewhere")
                       : set(v, Verdict::close, "both pass; largest tiny error elsewhere");
    }
}

// A trained result that is not the same after a difference in what came
// before it (initialisation, inputs, gradients, training) likely follows from it.
void judge_results(std::vector<ComparedValue>& values) {
    bool earlier = false;
    for (auto& v : values) {
        if (v.kind == MetricKind::result && unequal(v) && earlier) v.why = "likely follows from the difference above";
        earlier = earlier || (v.kind != MetricKind::result && v.verdict == Verdict::differs);
    }
}

// ---------------------------------------------------------------------------
// Text
// ---------------------------------------------------------------------------

std::string value_text(const std::optional<Json>& value, int precision = 6) {
    if (!value) return "-";
    if (value->is_string()) return value->get<std::string>();
    if (!value->is_number_float()) return value->dump();
    std::ostringstream text;
    text << std::setprecision(precision) << value->get<double>();
    return text.str();
}

// Both values with just enough digits to show that they differ.
std::pair<std::string, std::string> value_texts(const ComparedValue& v) {
    int precision = 6;
    while (precision < 17 && unequal(v) && numbers(v) &&
           value_text(v.yours, precision) == value_text(v.reference, precision))
        ++precision;
    return {value_text(v.yours, precision), value_text(v.reference, precision)};
}

std::string both_values(const ComparedValue& v) {
    const auto [yours, reference] = value_texts(v);
    return yours + " yours vs " + reference + " reference";
}

std::string element_label_of(const std::string& element) {
    const auto open = element.rfind('[');
    return open == std::string::npos ? element : element.substr(open + 1, element.size() - open - 2);
}

const ComparedValue* first_differing(const std::vector<ComparedValue>& values, MetricKind kind) {
    for (const auto& v : values)
        if (v.kind == kind && v.verdict == Verdict::differs) return &v;
    return nullptr;
}

std::string explain_initialisation(const ComparedValue& v) {
    const std::string where = "First difference: " + v.name + " (" + both_values(v) + "), at initialisation. ";
    if (v.field.rfind("weights", 0) == 0)
        return where +
               "Likely cause: your initialisation draws different numbers (order or scale of the draw?). "
               "With the same seed the draws must match exactly; what is trained from them differs too.";
    return where + "The initial weights agree, so likely your activation function (forward) computes something else.";
}

std::string explain_gradient_check(const ComparedValue& v) {
    const std::string parameter = element_label_of(v.element);
    if (v.field == "relative_error" && v.yours->get<double>() >= gradient_bar)
        return "First difference: the gradient check of " + parameter + " (" + both_values(v) +
               "): your relative error is 1e-7 or more. Likely cause: the backward pass gives a wrong gradient for " +
               parameter + " (or the gradient check itself is wrong).";
    if (v.field == "relative_error")
        return "First difference: the reference's gradient check finds an error in " + parameter + " (" +
               both_values(v) + ") and yours does not. Likely cause: your gradient check misses it.";
    return "First difference: " + v.name + " (" + both_values(v) +
           "): the gradient at the same element differs beyond rounding. Likely cause: the checked network or its "
           "inputs were drawn differently, or its forward pass differs.";
}

std::string explain_history(const ComparedValue& v) {
    const std::string where = "First difference: " + v.name + " (" + both_values(v) + ")";
    if (v.why == "differs from the first epoch" || v.why == "follows from the first epoch")
        return where +
               ", differs from the first epoch (beyond 1e-6 relative). With the same seed one epoch agrees "
               "far better unless the code computes something else: likely the forward pass, the gradient or "
               "the update differs (or the initial weights or the batch order). Later epochs differ as a "
               "consequence.";
    return where +
           ", after the first epoch agreed. Likely cause: something that acts only later (a learning-rate "
           "schedule, state kept from step to step such as momentum), or rounding grown large.";
}

std::string explain_first_cause(const std::vector<ComparedValue>& values) {
    if (const auto* v = first_differing(values, MetricKind::setting))
        return "The two runs were not made the same way (" + v->name + ": " + both_values(*v) +
               "): run both with the same --seed and options; nothing else can be compared.";
    if (const auto* v = first_differing(values, MetricKind::initialisation)) return explain_initialisation(*v);
    if (const auto* v = first_differing(values, MetricKind::features))
        return "First difference: " + v->name + " (" + both_values(*v) +
               "), in the inputs before any training. Likely cause: your feature code (deskewing, the extra features "
               "or the standardisation) computes something else; what is trained on them differs too.";
    if (const auto* v = first_differing(values, MetricKind::check_row)) return explain_gradient_check(*v);
    if (const auto* v = first_differing(values, MetricKind::history)) return explain_history(*v);
    if (const auto* v = first_differing(values, MetricKind::result))
        return "First difference: " + v->name + " (" + both_values(*v) +
               "), beyond the tolerance (0.5 points of accuracy, else 1%) while everything listed before it agrees. "
               "Likely cause: how it is computed from the trained network (the evaluation, the metric).";
    return "";
}

std::string summarize(const std::vector<ComparedValue>& values) {
    int missing = 0, close = 0;
    const ComparedValue* first_missing = nullptr;
    for (const auto& v : values) {
        close += v.verdict == Verdict::close;
        if (v.verdict == Verdict::missing && !missing++) first_missing = &v;
    }
    std::string summary = explain_first_cause(values);
    if (missing)
        summary += (summary.empty() ? "" : "\n") + std::to_string(missing) +
                   " value(s) of the reference are missing in yours, the first " + first_missing->name + ".";
    if (summary.empty() && close)
        summary = "Your results match the reference up to rounding: " + std::to_string(close) +
                  " number(s) are close, not equal: small enough to be plausibly rounding (another summation order).";
    return summary.empty() ? "Your results match the reference." : summary;
}

}  // namespace

int Comparison::problems() const {
    return static_cast<int>(std::count_if(values.begin(), values.end(), [](const ComparedValue& v) {
        return v.verdict == Verdict::differs || v.verdict == Verdict::missing;
    }));
}

std::string verdict_text(Verdict verdict) {
    switch (verdict) {
        case Verdict::same:
            return "same";
        case Verdict::close:
            return "close";
        case Verdict::differs:
            return "DIFFERS";
        case Verdict::missing:
            return "missing in yours";
        case Verdict::extra:
            return "only in yours";
        case Verdict::timing:
            return "(timing)";
    }
    return "?";
}

Comparison compare_metrics(const Json& yours, const Json& reference) {
    Comparison comparison;
    walk(&yours, &reference, Where{}, comparison.values);
    auto& values = comparison.values;
    for (const auto& group : distinct(values, MetricKind::history, &ComparedValue::group))
        judge_history(values, members(values, MetricKind::history, &ComparedValue::group, group));
    for (const auto& group : distinct(values, MetricKind::initialisation, &ComparedValue::group))
        judge_initialisation(values, members(values, MetricKind::initialisation, &ComparedValue::group, group));
    for (const auto& element : distinct(values, MetricKind::check_row, &ComparedValue::element))
        judge_gradient_row(values, members(values, MetricKind::check_row, &ComparedValue::element, element));
    judge_results(values);
    comparison.summary = summarize(values);
    return comparison;
}

// ---------------------------------------------------------------------------
// Printing
// ---------------------------------------------------------------------------

namespace {

struct Line {
    std::string name, yours, reference, verdict, why;
};

Line line_of(const ComparedValue& v) {
    const auto [yours, reference] = value_texts(v);
    return {v.name, yours, reference, verdict_text(v.verdict), v.why};
}

// `relu[epoch 1..10].loss` for a history, `gradient_check[*].analytic` otherwise.
std::string range_name(const std::vector<const ComparedValue*>& rows, const std::string& field) {
    const std::string& group = rows.front()->group;
    std::string name = group + "[*]";
    if (rows.front()->epoch && rows.back()->epoch)
        name =
            group + "[epoch " + std::to_string(rows.front()->epoch) + ".." + std::to_string(rows.back()->epoch) + "]";
    return field.empty() ? name : name + "." + field;
}

// One line per field of an array: the first element that is not the same
// and how many are not, or "same in all N" (with the last value of a history).
void add_field_line(const std::vector<const ComparedValue*>& rows, std::vector<Line>& lines) {
    // Show the first that differs (or is missing), else the first that is only close.
    auto bad = std::find_if(rows.begin(), rows.end(), [](const auto* v) {
        return v->verdict == Verdict::differs || v->verdict == Verdict::missing;
    });
    if (bad == rows.end())
        bad = std::find_if(rows.begin(), rows.end(), [](const auto* v) { return v->verdict != Verdict::same; });
    const std::string count = std::to_string(rows.size());
    if (bad == rows.end()) {
        const std::string& field = rows.front()->field;
        if (field == "epoch" || field == "layer" || field == "class" || field == "parameter") return;  // labels
        const bool history = rows.back()->epoch != 0;
        lines.push_back({range_name(rows, rows.front()->field), history ? value_text(rows.back()->yours) : "",
                         history ? value_text(rows.back()->reference) : "", "same", "in all " + count});
        return;
    }
    Line line = line_of(**bad);
    const auto others =
        std::count_if(rows.begin(), rows.end(), [](const auto* v) { return v->verdict != Verdict::same; });
    if (others > 1)
        line.why += (line.why.empty() ? "" : "; ") + std::to_string(others) + " of " + count + " not the same";
    lines.push_back(line);
}

void add_group_lines(const std::vector<ComparedValue>& values, const std::string& group, std::vector<Line>& lines) {
    std::vector<const ComparedValue*> rows;
    std::vector<std::string> fields;
    for (const auto& v : values)
        if (v.group == group && v.kind != MetricKind::timing) {
            rows.push_back(&v);
            if (std::find(fields.begin(), fields.end(), v.field) == fields.end()) fields.push_back(v.field);
        }
    if (rows.empty()) return;
    if (std::all_of(rows.begin(), rows.end(), [](const auto* v) { return v->verdict == Verdict::same; })) {
        lines.push_back({range_name(rows, ""), "", "", "same", "all " + std::to_string(rows.size()) + " values"});
        return;
    }
    for (const auto& field : fields) {
        std::vector<const ComparedValue*> of_field;
        for (const auto* v : rows)
            if (v->field == field) of_field.push_back(v);
        add_field_line(of_field, lines);
    }
}

std::vector<Line> lines_of(const std::vector<ComparedValue>& values) {
    std::vector<Line> lines;
    std::set<std::string> groups_done;
    for (const auto& v : values) {
        if (v.group.empty())
            lines.push_back(line_of(v));
        else if (groups_done.insert(v.group).second)
            add_group_lines(values, v.group, lines);
    }
    return lines;
}

// Breaks a paragraph into lines of at most `width` characters.
std::string wrap(const std::string& text, std::size_t width = 100) {
    std::istringstream words(text);
    std::string word, line, out;
    while (words >> word) {
        if (!line.empty() && line.size() + 1 + word.size() > width) out += line + '\n', line.clear();
        line += (line.empty() ? "" : " ") + word;
    }
    return out + line;
}

}  // namespace

void print_comparison(std::ostream& out, const Comparison& comparison) {
    const std::vector<Line> lines = lines_of(comparison.values);
    std::size_t width = 6;
    for (const auto& line : lines) width = std::max(width, line.name.size());
    out << std::left << std::setw(width + 2) << "value" << std::right << std::setw(14) << "yours" << std::setw(14)
        << "reference"
        << "   verdict\n"
        << std::string(width + 2 + 28 + 20, '-') << '\n';
    for (const auto& line : lines) {
        out << std::left << std::setw(width + 2) << line.name << std::right << std::setw(14) << line.yours
            << std::setw(14) << line.reference << "   " << line.verdict;
        if (!line.why.empty()) out << "  (" << line.why << ')';
        out << '\n';
    }
    out << '\n';
    std::istringstream paragraphs(comparison.summary);
    for (std::string paragraph; std::getline(paragraphs, paragraph);) out << wrap(paragraph) << '\n';
    const int problems = comparison.problems();
    out << wrap((problems ? std::to_string(problems) + " value(s) differ from the reference or are missing."
                          : std::string("Nothing differs beyond rounding.")) +
                " same: equal up to rounding (1e-9 relative); close: rounding plausibly explains it; DIFFERS: the "
                "code likely computes something else.")
        << '\n';
}

}  // namespace nn
