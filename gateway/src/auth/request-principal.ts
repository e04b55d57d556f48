import type { IncomingMessage } from 'node:http';
import type { Principal } from '@platform/identity';
import { credentialFieldsOfHeaders, type Authenticate } from './authenticate.js';

/** Who sent an HTTP request, decided once per request by `Authenticate`. */
export type RequestPrincipal = (req: IncomingMessage, requestId: string) => Promise<Principal>;

/**
 * Authenticates each HTTP request once, whichever step asks first: the response cache's fast path
 * and then, when it passes the request on, the GraphQL context share the one answer (or the one
 * refusal, which the normal path then answers with its 401). Same code for both, never a copy.
 */
export function requestPrincipal(authenticate: Authenticate): RequestPrincipal {
  const answers = new WeakMap<IncomingMessage, Promise<Principal>>();
  return (req, requestId) => {
    let answer = answers.get(req);
    if (!answer) {
      answer = authenticate({ credentials: credentialFieldsOfHeaders(req.headers), requestId });
      answers.set(req, answer);
      // Whoever asked handles a refusal; a request nobody asks again must not warn.
      answer.catch(() => undefined);
    }
    return answer;
  };
}
