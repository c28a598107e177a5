import { createSignal, Match, Switch, type JSX } from 'solid-js';
import { toApiError } from '../../api/client';

export type TestResult<T> = { ok: true; value: T } | { ok: false; message: string };

/** "Test" on an admin row: runs the check, keeps its outcome (what answered, or the API's reason) for TestOutcome. */
export function createTestRun<T>(run: () => Promise<T>, onPassed: (value: T) => void) {
  const [testing, setTesting] = createSignal(false);
  const [result, setResult] = createSignal<TestResult<T>>();
  const test = async () => {
    setTesting(true);
    try {
      const value = await run();
      setResult({ ok: true, value });
      onPassed(value);
    } catch (error) {
      setResult({ ok: false, message: toApiError(error).message });
    } finally {
      setTesting(false);
    }
  };
  return { testing, result, test };
}

/** The outcome of "Test": what answered (`children`), or why it could not be reached. */
export function TestOutcome<T>(props: { result: TestResult<T>; children: (value: T) => JSX.Element }) {
  return (
    <Switch>
      <Match when={props.result.ok && props.result}>
        {(ok) => <div role="status" class="mt-4 rounded-xl border border-ok/30 bg-ok/10 px-3.5 py-3 text-sm">{props.children(ok().value)}</div>}
      </Match>
      <Match when={!props.result.ok && props.result}>
        {(failed) => <p role="alert" class="mt-4 rounded-xl border border-danger/30 bg-danger/10 px-3.5 py-3 text-sm text-danger">{failed().message}</p>}
      </Match>
    </Switch>
  );
}
