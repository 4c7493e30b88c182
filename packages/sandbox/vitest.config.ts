import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

const FIDELITY = 'fidelity.test.ts';

/** Runs the spec-fidelity summary last, after every other file has recorded its answers. */
class FidelityLast extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const isFidelity = (file: TestSpecification) => file.moduleId.endsWith(FIDELITY);
    return [...sorted.filter((file) => !isFidelity(file)), ...sorted.filter(isFidelity)];
  }
}

export default defineConfig({
  test: {
    // One worker, one module graph: every test file records into the same fidelity report.
    fileParallelism: false,
    isolate: false,
    sequence: { sequencer: FidelityLast },
    testTimeout: 20_000,
  },
});
