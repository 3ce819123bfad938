// A fixed vocabulary of news words, shared by the benchmarks that generate
// news-like feeds (words, a few of them in non-ASCII UTF-8, and the common
// short words at about their real frequency).
#ifndef NEWSWATCH_TESTS_BENCH_NEWS_WORDS_H_
#define NEWSWATCH_TESTS_BENCH_NEWS_WORDS_H_

#include <string_view>

namespace newswatch::bench {

inline constexpr std::string_view kNewsWords[] = {
    "government", "minister",  "election",   "budget",    "vote",
    "parliament", "council",   "court",      "ruling",    "appeal",
    "economy",    "inflation", "markets",    "shares",    "energy",
    "prices",     "climate",   "summit",     "wildfire",  "flooding",
    "storm",      "coast",     "hospital",   "health",    "doctors",
    "strike",     "union",     "workers",    "wages",     "housing",
    "rents",      "city",      "region",     "border",    "talks",
    "ceasefire",  "troops",    "security",   "police",    "inquiry",
    "report",     "study",     "scientists", "research",  "university",
    "students",   "schools",   "teachers",   "railway",   "airport",
    "flights",    "transport", "bridge",     "project",   "company",
    "chief",      "executive", "profits",    "losses",    "jobs",
    "technology", "software",  "data",       "privacy",   "regulator",
    "fine",       "football",  "league",     "final",     "season",
    "museum",     "festival",  "film",       "music",     "award",
    "São Paulo",  "Zürich",    "café",       "Kraków",    "naïve",
    "the",        "a",         "of",         "in",        "and",
    "to",         "for",       "on",         "after",     "with",
    "the",        "a",         "of",         "in",        "and",
    "says",       "new",       "plan",       "over",      "amid",
    "warns",      "calls",     "faces",      "agrees",    "rejects",
    "local",      "national",  "first",      "record",    "years",
    "officials",  "residents", "families",   "children",  "patients",
    "announced",  "confirmed", "expected",   "reported",  "described",
    "yesterday",  "Monday",    "Tuesday",    "Wednesday", "Thursday",
    "morning",    "evening",   "week",       "month",     "decade",
    "Europe",     "Africa",    "Asia",       "Americas",  "Pacific",
    "London",     "Nairobi",   "Jakarta",    "Lima",      "Toronto"};

}  // namespace newswatch::bench

#endif  // NEWSWATCH_TESTS_BENCH_NEWS_WORDS_H_
