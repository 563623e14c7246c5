import type { Config } from "../config";
import type { DemoResult } from "../restaurants/demo";

/** Where a person signs in: the configured HOST and PORT (or the port actually bound, for PORT=0). */
export function signInUrl(config: Pick<Config, "host" | "port">, port = config.port): string {
  // A wildcard bind address is not somewhere a browser can go; the same machine is.
  const host = ["0.0.0.0", "::", ""].includes(config.host) ? "localhost" : config.host.includes(":") ? `[${config.host}]` : config.host;
  return `http://${host}:${port}/sign-in`;
}

export function demoLines(demo: DemoResult, signIn: string): string[] {
  return [
    "",
    `Demo restaurant "${demo.restaurant.name}" (slug ${demo.restaurant.slug}) is ready. Its passwords and PINs are random and shown only now.`,
    `  Sign in at ${signIn}`,
    `  Owner:   owner@${demo.restaurant.slug}.example  password ${demo.ownerPassword ?? "(existing user)"}`,
    `  Manager: ${demo.managerEmail}  password ${demo.managerPassword}`,
    `  Staff PINs: ${demo.pins.map((p) => `${p.role} ${p.pin}`).join(", ")}`,
    `  API key (shown once): ${demo.apiKey}`,
    "",
  ];
}
