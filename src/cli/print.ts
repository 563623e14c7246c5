import type { DemoResult } from "../restaurants/demo";

export function printDemo(demo: DemoResult, baseUrl: string): void {
  const lines = [
    "",
    `Demo restaurant "${demo.restaurant.name}" (slug ${demo.restaurant.slug}) is ready.`,
    `  Sign in at ${baseUrl}/sign-in`,
    `  Owner:   owner@${demo.restaurant.slug}.example  password ${demo.ownerPassword ?? "(existing user)"}`,
    `  Manager: ${demo.managerEmail}  password ${demo.managerPassword}`,
    `  Staff PINs: ${demo.pins.map((p) => `${p.role} ${p.pin}`).join(", ")}`,
    `  API key (shown once): ${demo.apiKey}`,
    "",
  ];
  console.log(lines.join("\n"));
}
