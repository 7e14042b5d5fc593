import { createHash, timingSafeEqual } from "node:crypto";
import type { NextFunction, Request, Response } from "express";

/** No inline script, nothing from elsewhere: every asset comes from the dashboard itself. */
export const CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

export const TOKEN_COOKIE = "platform_dashboard";

const LOOPBACK = new Set(["127.0.0.1", "::1", "localhost"]);

export const isLoopback = (host: string) => LOOPBACK.has(host);

/** The Host header values a browser sends to reach the dashboard at `host:port`. Pure. */
export function servedHosts(host: string, port: number): string[] {
  const names = isLoopback(host) ? ["127.0.0.1", "localhost", "[::1]"] : [host.includes(":") ? `[${host}]` : host];
  return names.map((name) => `${name}:${port}`.toLowerCase());
}

/** Compares in time that does not depend on where the strings differ (both are hashed to one length first). */
export function sameToken(given: string, expected: string): boolean {
  const digest = (text: string) => createHash("sha256").update(text).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/** Security headers on every response, refusals included. */
export function securityHeaders(_request: Request, response: Response, next: NextFunction): void {
  response.set({
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Cache-Control": "no-store",
  });
  next();
}

/** A page on another name that resolves here (DNS rebinding) names itself in Host: refused, 421 and nothing else. */
export function hostCheck(allowed: readonly string[]) {
  const hosts = new Set(allowed);
  return (request: Request, response: Response, next: NextFunction): void => {
    if (hosts.has((request.headers.host ?? "").toLowerCase())) return next();
    response.status(421).end();
  };
}

/** The token from `Authorization: Bearer` or the session cookie the page sets once. */
export function presentedToken(request: Request): string | undefined {
  const bearer = /^Bearer (.+)$/.exec(request.headers.authorization ?? "")?.[1];
  if (bearer) return bearer;
  for (const part of (request.headers.cookie ?? "").split(";")) {
    const [name, ...value] = part.trim().split("=");
    if (name === TOKEN_COOKIE) return decodeURIComponent(value.join("="));
  }
  return undefined;
}

/** Without the token: 401 and nothing else. No token configured (loopback): every request passes. */
export function tokenCheck(token: string | undefined) {
  return (request: Request, response: Response, next: NextFunction): void => {
    if (token === undefined) return next();
    const given = presentedToken(request);
    if (given !== undefined && sameToken(given, token)) return next();
    response.status(401).end();
  };
}
