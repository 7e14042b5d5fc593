import { expect } from "chai";
import * as fs from "node:fs";
import * as path from "node:path";
import { PNG } from "pngjs";
import { buildReportHtml } from "../../../orchestrator/report/build";
import { buildReportModel } from "../../../orchestrator/report/model";
import { screenshotPage, type Box } from "../../../orchestrator/report/screenshot";
import { STATE_COLOURS } from "../../../orchestrator/report/svg";
import { sampleInputs } from "../../support/sample-history";

// Kept after the run so a person can open the page and look at the screenshot.
const OUT = path.resolve(__dirname, "../../../.platform/test-artifacts/report");

const hex = (colour: string) => [1, 3, 5].map((i) => parseInt(colour.slice(i, i + 2), 16));

/** Pixels inside `box` within a small distance of `colour`, and how many distinct colours the box has. */
function inspect(png: PNG, box: Box, colour?: string): { matching: number; distinct: number; inked: number } {
  const want = colour ? hex(colour) : undefined;
  const seen = new Set<number>();
  let matching = 0;
  let inked = 0;
  for (let y = Math.floor(box.y); y < Math.min(png.height, box.y + box.height); y++) {
    for (let x = Math.floor(box.x); x < Math.min(png.width, box.x + box.width); x++) {
      const i = (y * png.width + x) * 4;
      const [r, g, b] = [png.data[i]!, png.data[i + 1]!, png.data[i + 2]!];
      seen.add((r << 16) | (g << 8) | b);
      if (r + g + b < 720) inked++;
      if (want && Math.abs(r - want[0]!) + Math.abs(g - want[1]!) + Math.abs(b - want[2]!) < 24) matching++;
    }
  }
  return { matching, distinct: seen.size, inked };
}

describe("run report page in headless Chromium", function () {
  this.timeout(120_000);
  const html = path.join(OUT, "report.html");
  const selectors = ["#graph-staging svg", "#timeline svg", "#chart-durations svg", "#chart-success-rate svg", "#chart-failures svg"];
  let shot: Awaited<ReturnType<typeof screenshotPage>>;
  let png: PNG;

  before(async () => {
    fs.mkdirSync(OUT, { recursive: true });
    fs.writeFileSync(html, await buildReportHtml(buildReportModel(sampleInputs(), "environment staging")));
    shot = await screenshotPage(html, selectors);
    fs.writeFileSync(path.join(OUT, "report.png"), shot.png);
    png = PNG.sync.read(shot.png);
  });

  it("loads with no console errors and no network requests", () => {
    expect(shot.errors).to.deep.equal([]);
    expect(fs.readFileSync(html, "utf8")).not.to.match(/<script|https?:\/\/(?!www\.w3\.org)/);
  });

  it("draws the dependency graph with stacks coloured by state", () => {
    const box = shot.boxes["#graph-staging svg"]!;
    expect(box.width).to.be.above(300);
    // Six green boxes (170x44 each) and the drift outline on ingress.
    expect(inspect(png, box, STATE_COLOURS.succeeded).matching).to.be.above(6 * 170 * 30);
    expect(inspect(png, box, STATE_COLOURS.drift).matching).to.be.above(100);
  });

  it("draws the timeline with a bar per stack and the critical path outlined", () => {
    const box = shot.boxes["#timeline svg"]!;
    expect(box.height).to.be.above(7 * 20);
    expect(inspect(png, box, STATE_COLOURS.succeeded).matching).to.be.above(7 * 15 * 20);
    expect(inspect(png, box, "#1b1f24").matching).to.be.above(300);
  });

  it("draws the history charts", () => {
    for (const selector of ["#chart-durations svg", "#chart-success-rate svg", "#chart-failures svg"]) {
      const box = shot.boxes[selector];
      expect(box, selector).to.not.equal(undefined);
      const seen = inspect(png, box!);
      expect(seen.distinct, selector).to.be.above(8);
      expect(seen.inked, selector).to.be.above(2000);
    }
    expect(inspect(png, shot.boxes["#chart-failures svg"]!, STATE_COLOURS.failed).matching).to.be.above(500);
  });
});
