// When digests go out, and how a new alert's deliveries are planned from its
// search's delivery policy.
#ifndef NEWSWATCH_ALERTS_DIGEST_SCHEDULE_H_
#define NEWSWATCH_ALERTS_DIGEST_SCHEDULE_H_

#include <cstdint>
#include <string>

#include "alerts/alert.h"
#include "config/config.h"
#include "config/error.h"

namespace newswatch::alerts {

// kPermanent when `time_zone` is not an IANA zone in the system's tz
// database ("Europe/Berlin", "UTC").
config::Status ValidateTimeZone(const std::string& time_zone);

// The first digest time strictly after `now` (Unix seconds). Daily times are
// local to `time_zone`: on a day whose clock skips that time (the start of
// summer time) the digest goes out when the clock jumps; on a day that
// repeats it, at the first.
config::Result<std::int64_t> NextDigestTime(
    const config::DigestSchedule& schedule, const std::string& time_zone,
    std::int64_t now);

// The delivery plan of an alert of `search` firing at `now`.
config::Result<DeliveryPlan> PlanDelivery(const config::Search& search,
                                          const std::string& time_zone,
                                          std::int64_t now);

}  // namespace newswatch::alerts

#endif  // NEWSWATCH_ALERTS_DIGEST_SCHEDULE_H_
