import { describe, expect, it } from "vitest";
import { rfmClusterNames } from "../../../src/engine/segmentation/clusterNames";
import { engineErrorOf } from "../../support/engine";

describe("rfmClusterNames (domain.md §4.3: name clusters by their centroids' R/F/M ranks)", () => {
  it("rank 1 = most recent (fewest days), most frequent, highest spend", () => {
    // columns: monetary, recency days, frequency
    const centroids = Float64Array.from([
      40, 300, 1, // lapsed, rare, low
      2000, 5, 20, // recent, frequent, high
      300, 40, 5, // in between
    ]);
    expect(rfmClusterNames(centroids, 3, { recency: 1, frequency: 2, monetary: 0 })).toEqual(["R3 F3 M3", "R1 F1 M1", "R2 F2 M2"]);
  });

  it("equal centres share a rank", () => {
    expect(rfmClusterNames(Float64Array.from([10, 2, 50, 10, 2, 80]), 3, { recency: 0, frequency: 1, monetary: 2 })).toEqual([
      "R1 F1 M2",
      "R1 F1 M1",
    ]);
  });

  it("a column index outside the features → INVALID_INPUT", () => {
    const error = engineErrorOf(() => rfmClusterNames(Float64Array.from([1, 2]), 2, { recency: 0, frequency: 1, monetary: 2 }));
    expect(error.code).toBe("INVALID_INPUT");
    expect(error.message).toBe("rfmClusterNames: the monetary column 2 is not one of the 2 feature columns");
  });
});
