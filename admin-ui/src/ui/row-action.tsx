/**
 * The one button in a table row's actions cell: busy while its request runs, named for screen
 * readers after the row it acts on (the visible text alone would repeat on every row).
 */

/**
 * External dependencies
 */
import type { ReactNode } from 'react';

/**
 * WordPress dependencies
 */
import { Button } from '@wordpress/components';

interface RowActionProps {
	/** Accessible name, e.g. "Replay job 42". */
	label: string;
	busy: boolean;
	onClick: () => void;
	isDestructive?: boolean;
	children: ReactNode;
}

export function RowAction( {
	label,
	busy,
	onClick,
	isDestructive,
	children,
}: RowActionProps ) {
	return (
		<Button
			variant="secondary"
			isDestructive={ isDestructive }
			isBusy={ busy }
			disabled={ busy }
			onClick={ onClick }
			label={ label }
			showTooltip={ false }
		>
			{ children }
		</Button>
	);
}
