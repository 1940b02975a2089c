/**
 * How every card shows loading, empty and error states.
 */

/**
 * External dependencies
 */
import type { ReactNode } from 'react';

/**
 * WordPress dependencies
 */
import { Button, Notice, Spinner } from '@wordpress/components';
import { __ } from '@wordpress/i18n';

/**
 * Internal dependencies
 */
import type { ApiError } from '../data/errors';
import type { Loadable } from '../data/request-state';

export function LoadingState( { label }: { label: string } ) {
	return (
		<div className="synchub-state synchub-state--loading" role="status">
			<Spinner />
			<span>{ label }</span>
		</div>
	);
}

export function EmptyState( { children }: { children: ReactNode } ) {
	return <p className="synchub-state synchub-state--empty">{ children }</p>;
}

interface ErrorStateProps {
	error: ApiError;
	onRetry?: () => void;
}

/**
 * The server's own message, with a way to try again.
 *
 * @param props         Props.
 * @param props.error   The error.
 * @param props.onRetry Called by "Try again".
 */
export function ErrorState( { error, onRetry }: ErrorStateProps ) {
	return (
		<Notice
			status="error"
			isDismissible={ false }
			className="synchub-state synchub-state--error"
		>
			<p>{ error.message }</p>
			{ onRetry && (
				<Button variant="secondary" onClick={ onRetry }>
					{ __( 'Try again', 'sync-hub' ) }
				</Button>
			) }
		</Notice>
	);
}

interface TestResultProps {
	className: string;
	/** What the service said when the connection works. */
	success?: ReactNode;
	/** What the service said when it refused. */
	failure?: string;
	/** The test request itself failed (worker unreachable, validation). */
	requestError?: string;
}

/**
 * The outcome of a "Test connection" button, under its form.
 * @param root0
 * @param root0.className
 * @param root0.success
 * @param root0.failure
 * @param root0.requestError
 */
export function ConnectionTestResult( {
	className,
	success,
	failure,
	requestError,
}: TestResultProps ) {
	return (
		<>
			{ success !== undefined && (
				<Notice
					status="success"
					isDismissible={ false }
					className={ className }
				>
					{ success }
				</Notice>
			) }
			{ [ failure, requestError ].map(
				( message, index ) =>
					message !== undefined && (
						<Notice
							key={ index }
							status="error"
							isDismissible={ false }
							className={ className }
						>
							{ message }
						</Notice>
					)
			) }
		</>
	);
}

/**
 * A resource's error (with Try again) or, before its first data, its loading state; nothing once
 * loaded. Data loaded before a failed reload stays shown under the error.
 * @param root0
 * @param root0.source
 * @param root0.loadingLabel
 */
export function SourceStatus< T >( {
	source,
	loadingLabel,
}: {
	source: Loadable< T >;
	loadingLabel: string;
} ) {
	if ( source.status === 'error' && source.error ) {
		return (
			<ErrorState
				error={ source.error }
				onRetry={ () => void source.refresh() }
			/>
		);
	}
	return source.data === undefined ? (
		<LoadingState label={ loadingLabel } />
	) : null;
}
