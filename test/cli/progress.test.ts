import { describe, expect, it } from "vitest";
import { memoryIo } from "../../src/cli/io";
import { Progress } from "../../src/cli/progress";

/** A clock that moves on by `stepMs` at every reading. */
function ticking(stepMs: number): () => Date {
  let now = 0;
  return () => new Date((now += stepMs));
}

describe("Progress", () => {
  it("writes at most one line a second, on row counts that are multiples of 65,536, and a closing line", () => {
    const memory = memoryIo({ progress: true, now: ticking(600) });
    const progress = new Progress(memory.io, "reading big.csv");
    for (let rows = 1; rows <= 5 * 65_536; rows++) progress.update(rows);
    progress.done(5 * 65_536);
    expect(memory.stderr()).toBe(
      "reading big.csv: 131,072 rows…\nreading big.csv: 262,144 rows…\nreading big.csv: 327,680 rows, done\n",
    );
  });

  it("is silent when progress is off, and for short tasks", () => {
    const off = memoryIo({ progress: false, now: ticking(5000) });
    const quiet = new Progress(off.io, "x");
    for (let rows = 1; rows <= 200_000; rows++) quiet.update(rows);
    quiet.done(200_000);
    quiet.stage("fitting…");
    expect(off.stderr()).toBe("");
    const short = memoryIo({ progress: true, now: ticking(1) });
    const fast = new Progress(short.io, "y");
    fast.update(65_536);
    fast.done(70_000);
    expect(short.stderr()).toBe("");
  });
});
