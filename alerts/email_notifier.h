// EmailNotifier: delivers messages by SMTP (libcurl), one SMTP transaction
// per message, to the recipients of its configuration.
#ifndef NEWSWATCH_ALERTS_EMAIL_NOTIFIER_H_
#define NEWSWATCH_ALERTS_EMAIL_NOTIFIER_H_

#include <cstdint>
#include <string>

#include "alerts/notifier.h"
#include "config/config.h"

namespace newswatch::alerts {

// Sends each message (built by BuildEmail, email_message.h) to
// settings.smtp_url: smtp:// (STARTTLS required when settings.starttls) or
// smtps:// (TLS from the first byte), certificates checked against the
// system's CAs or settings.ca_file. The envelope sender is settings.from and
// the envelope recipients are settings.to, never anything from the alerts.
// With settings.username it authenticates, with the password read from
// settings.password_file at every send (so a rotated password needs no
// restart; one trailing newline is dropped). The whole transaction is
// bounded by settings.timeout.
//
// Outcomes: kSent when the server accepted the message for every recipient
// (one rejected recipient fails the whole message, so a retry cannot
// duplicate mail to the others). kPermanent for an SMTP 5xx reply (a rejected
// sender or recipient, a message refused) and for a message that cannot be
// built (a bad from/to address). kTransient for 4xx replies, failures to
// connect, time-outs, TLS failures, a server that does not offer STARTTLS
// when it is required, refused credentials and an unreadable password file:
// conditions of the server, the network or this notifier's configuration,
// which can change while the message waits, not of the message itself.
//
// Errors read `email "<name>" (smtp://host:port): ...` with the server's
// reply where there is one; they never contain the password.
//
// Deliver blocks for up to the timeout. Not thread-safe: one delivery at a
// time (the delivery worker's thread). curl_global_init must have been
// called before.
class EmailNotifier : public Notifier {
 public:
  EmailNotifier(std::string name, config::EmailSettings settings);

  DeliveryOutcome Deliver(const Message& message, std::int64_t now) override;

  // The SMTP URL without credentials and the recipients.
  std::string Destination() const override;

 private:
  std::string name_;
  config::EmailSettings settings_;
  std::string server_;  // "smtp://host:port", for errors.
};

}  // namespace newswatch::alerts

#endif  // NEWSWATCH_ALERTS_EMAIL_NOTIFIER_H_
