/**
 * External dependencies
 */
import { act } from '@testing-library/react';

/**
 * Polls an assertion on real `setTimeout` inside act(), for tests that fake only intervals
 * (testing-library's and vitest's waitFor both drive faked intervals themselves).
 *
 * @param check     Throws until the condition holds.
 * @param timeoutMs Give up after this long.
 */
export async function until(
	check: () => void,
	timeoutMs = 3000
): Promise< void > {
	// eslint-disable-next-line @wordpress/no-unused-vars-before-return -- the clock starts before the first try.
	const started = Date.now();
	for (;;) {
		try {
			check();
			return;
		} catch ( error ) {
			if ( Date.now() - started > timeoutMs ) {
				throw error;
			}
		}
		await act(
			() =>
				new Promise< void >( ( resolve ) => setTimeout( resolve, 10 ) )
		);
	}
}
