import * as path from "node:path";

/** The folder of real chart archives tests fill mirrors from: PLATFORM_CHART_SOURCE, or ../shared/charts beside the checkout (as CI lays it out). */
export const CHART_SOURCE = process.env.PLATFORM_CHART_SOURCE ?? path.resolve(__dirname, "../../../shared/charts");
