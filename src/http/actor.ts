import type { Principal } from "../auth/service";
import type { OrderActor } from "../orders/service";
import { getMeta } from "./request-context";

/** Who is acting, as every service records it: the person, the device, the role, and the client IP. */
export function actorOf(principal: Principal, ip?: string | null): OrderActor {
  return { actor: principal.actor, userId: principal.user?.id ?? null, deviceId: principal.device?.id ?? null, ip: ip ?? null };
}

/** The same, for a request: the IP comes from the request context (trusted proxies already applied). */
export function whoOf(principal: Principal, request: Request): OrderActor {
  return actorOf(principal, getMeta(request)?.ip);
}
