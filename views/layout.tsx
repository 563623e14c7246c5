import type { PropsWithChildren } from "@kitajs/html";

export type LayoutProps = PropsWithChildren<{
  title: string;
  nonce: string;
  /** Screen kind sets the type scale: kitchen screens are read at arm's length. */
  screen?: "default" | "kds" | "pos" | "board" | "admin";
  /** Load the Alpine CSP build (the KDS skips it to stay light). */
  alpine?: boolean;
  head?: JSX.Element;
}>;

export function Layout({ title, nonce, screen = "default", alpine = true, head, children }: LayoutProps) {
  return (
    <>
      {"<!doctype html>"}
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title safe>{title} · Restaurant OS</title>
          <link rel="icon" href="/public/favicon.svg" type="image/svg+xml" />
          <link rel="stylesheet" href="/public/css/app.css" />
          <link rel="stylesheet" href="/public/css/phone.css" />
          <script src="/vendor/htmx.min.js" nonce={nonce} defer></script>
          <script src="/public/js/refusals.js" nonce={nonce} defer></script>
          {alpine ? <script src="/vendor/alpine-csp.min.js" nonce={nonce} defer></script> : ""}
          {(head ?? "") as "safe"}
        </head>
        <body class={`screen-${screen}`}>{children as "safe"}</body>
      </html>
    </>
  );
}
