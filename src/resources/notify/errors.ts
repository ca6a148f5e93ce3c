// The one error a notifier throws: which channel, which target, what went wrong — never a token or password.

import { SluiceError } from '../../definitions/errors.js';

/** Which notifier failed. */
export type NotifyChannel = 'slack' | 'email';

/**
 * A failure notification could not be sent. `target` is the Slack channel or the recipients, `code` a short
 * machine-readable reason: `missing_config` (an environment variable is unset or malformed), Slack's own error
 * (`channel_not_found`, `invalid_auth`, …), `rate_limited`, `http_<status>`, `request_failed`, or the SMTP
 * error code (`EAUTH`, `ECONNECTION`, `EENVELOPE`, `EMESSAGE`). The message has been through the redactor,
 * and the driver's error is deliberately not kept as `cause`: it can carry the request's headers.
 * @example
 * try { await notifier.send(message); }
 * catch (error) { if (error instanceof NotifyError) log.warn(error.message); } // a notifier never fails a run
 */
export class NotifyError extends SluiceError {
  override readonly exitCode: number = 1;
  readonly channel: NotifyChannel;
  readonly target: string;
  readonly code: string;
  constructor(channel: NotifyChannel, target: string, code: string, message: string) {
    super(message);
    this.channel = channel;
    this.target = target;
    this.code = code;
  }
}
