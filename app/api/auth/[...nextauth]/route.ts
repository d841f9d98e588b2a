// /api/auth/* — Auth.js (sessions, CSRF, sign-out); requests it would fail on are refused first (4xx).
import type { NextRequest } from "next/server";
import { handlers } from "@/server/auth/config";
import { refuseAuthRequest } from "@/server/auth/route-guard";

const PROVIDERS = ["staff"];

export function GET(request: NextRequest) {
  return refuseAuthRequest(request, PROVIDERS) ?? handlers.GET(request);
}

export function POST(request: NextRequest) {
  return refuseAuthRequest(request, PROVIDERS) ?? handlers.POST(request);
}
