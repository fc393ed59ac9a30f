import type express from "express";
import { cidrMatcher } from "~/lib/cidr";
import { ACCESS_POINT_HEADER } from "~/lib/request.server";

/**
 * Marks each request as coming to the intranet access point (from INTRANET_CIDRS, or to
 * INTRANET_HOST) or the internet one, in a header the client cannot set: the guards then keep
 * officials' and administrators' pages to the intranet (docs/decisions/0044).
 */
export function accessPoint(intranet: { cidrs: string[]; host?: string }): express.RequestHandler {
  const configured = intranet.cidrs.length > 0 || Boolean(intranet.host);
  const inRanges = cidrMatcher(intranet.cidrs);
  return (req, _res, next) => {
    delete req.headers[ACCESS_POINT_HEADER];
    if (configured) {
      // req.hostname is the proxy-reported host only when TRUST_PROXY trusts that proxy.
      const host = req.hostname?.toLowerCase();
      const inside = inRanges(req.ip) || (intranet.host !== undefined && host === intranet.host.split(":")[0]);
      req.headers[ACCESS_POINT_HEADER] = inside ? "intranet" : "internet";
    }
    next();
  };
}
