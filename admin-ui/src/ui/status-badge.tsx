/**
 * External dependencies
 */
import type { ReactNode } from 'react';

export type Tone = 'success' | 'warning' | 'error' | 'neutral';

interface StatusBadgeProps {
	tone: Tone;
	children: ReactNode;
	/** Machine-readable value, for styling and tests (e.g. `healthy`). */
	value?: string;
}

export function StatusBadge( { tone, children, value }: StatusBadgeProps ) {
	return (
		<span className={ `synchub-badge is-${ tone }` } data-status={ value }>
			{ children }
		</span>
	);
}
