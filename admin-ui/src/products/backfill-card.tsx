/**
 * "Sync all products": pages of 100 until done, with a progress bar; resumes where it stopped.
 */

/**
 * WordPress dependencies
 */
import { Button, Card, CardBody, CardHeader } from '@wordpress/components';
import { useRef, useState } from '@wordpress/element';
import { __, sprintf } from '@wordpress/i18n';

/**
 * Internal dependencies
 */
import { formatNumber } from '../ui/format';
import { ErrorState, LoadingState } from '../ui/request-states';
import { useBackfill, type BackfillState } from './data';

function percent( state: BackfillState ): number {
	if ( state.status === 'done' ) {
		return 100;
	}
	return state.total > 0
		? Math.min( 100, Math.round( ( state.processed / state.total ) * 100 ) )
		: 0;
}

export function BackfillCard( { onFinished }: { onFinished?: () => void } ) {
	const backfill = useBackfill();
	const [ progress, setProgress ] = useState< BackfillState | undefined >(
		undefined
	);
	const [ running, setRunning ] = useState( false );
	const stop = useRef( false );
	const state = progress ?? backfill.data;

	const run = async ( restart: boolean ) => {
		setRunning( true );
		stop.current = false;
		let next = await backfill.step.mutate( { restart } );
		while ( next && next.status === 'running' && ! stop.current ) {
			setProgress( next );
			next = await backfill.step.mutate( { restart: false } );
		}
		if ( next ) {
			setProgress( next );
		}
		setRunning( false );
		if ( next?.status === 'done' ) {
			onFinished?.();
		}
	};

	const resumable = state?.status === 'running' && ! running;
	return (
		<Card className="synchub-card synchub-products-backfill">
			<CardHeader>
				<h2 className="synchub-card__title">
					{ __( 'Sync all products', 'sync-hub' ) }
				</h2>
			</CardHeader>
			<CardBody>
				<p>
					{ __(
						'Sends every published product, 100 at a time. You can leave the page and resume later.',
						'sync-hub'
					) }
				</p>
				{ backfill.status === 'error' && backfill.error && (
					<ErrorState
						error={ backfill.error }
						onRetry={ () => void backfill.refresh() }
					/>
				) }
				{ state === undefined && backfill.status !== 'error' && (
					<LoadingState
						label={ __( 'Loading progress…', 'sync-hub' ) }
					/>
				) }
				{ state && state.status !== 'idle' && (
					<div className="synchub-progress">
						<progress
							max={ 100 }
							value={ percent( state ) }
							aria-label={ __( 'Products sent', 'sync-hub' ) }
						/>
						<span data-progress>
							{ sprintf(
								/* translators: 1: products sent, 2: products in total. */
								__( '%1$s of %2$s products sent', 'sync-hub' ),
								formatNumber( state.processed ),
								formatNumber( state.total )
							) }
						</span>
						{ state.status === 'done' && (
							<span>{ __( 'Done.', 'sync-hub' ) }</span>
						) }
					</div>
				) }
				{ running ? (
					<Button
						variant="secondary"
						onClick={ () => ( stop.current = true ) }
					>
						{ __( 'Pause', 'sync-hub' ) }
					</Button>
				) : (
					<>
						{ resumable && (
							<Button
								variant="primary"
								onClick={ () => void run( false ) }
							>
								{ __( 'Resume', 'sync-hub' ) }
							</Button>
						) }{ ' ' }
						<Button
							variant={ resumable ? 'secondary' : 'primary' }
							onClick={ () => void run( true ) }
							disabled={ state === undefined }
						>
							{ __( 'Sync all products', 'sync-hub' ) }
						</Button>
					</>
				) }
			</CardBody>
		</Card>
	);
}
