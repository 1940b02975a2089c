/**
 * Is everything in sync: the last drift report of each domain, "Check now" with its progress,
 * and "Re-sync these" for what the worker can fix.
 */

/**
 * WordPress dependencies
 */
import { Button, Card, CardBody, CardHeader } from '@wordpress/components';
import { __, _n, sprintf } from '@wordpress/i18n';

/**
 * Internal dependencies
 */
import { formatDateTime, formatNumber } from '../ui/format';
import { ErrorState, LoadingState } from '../ui/request-states';
import { StatusBadge } from '../ui/status-badge';
import { useDrift, type DriftReport, type DriftResource } from './data';
import {
	detailLabel,
	domainLabel,
	kindLabel,
	notConfiguredHint,
} from './labels';

function StatusOf( { report }: { report: DriftReport | null } ) {
	if ( ! report ) {
		return (
			<StatusBadge tone="neutral" value="unknown">
				{ __( 'Not checked yet', 'sync-hub' ) }
			</StatusBadge>
		);
	}
	switch ( report.status ) {
		case 'in_sync':
			return (
				<StatusBadge tone="success" value="in_sync">
					{ __( 'In sync', 'sync-hub' ) }
				</StatusBadge>
			);
		case 'drift':
			return (
				<StatusBadge tone="warning" value="drift">
					{ sprintf(
						/* translators: %s: number of records that differ. */
						_n(
							'%s differs',
							'%s differ',
							report.differing,
							'sync-hub'
						),
						formatNumber( report.differing )
					) }
				</StatusBadge>
			);
		case 'not_configured':
			return (
				<StatusBadge tone="neutral" value="not_configured">
					{ __( 'Not configured', 'sync-hub' ) }
				</StatusBadge>
			);
		default:
			return (
				<StatusBadge tone="error" value="error">
					{ __( 'Check failed', 'sync-hub' ) }
				</StatusBadge>
			);
	}
}

const detailValue = ( key: string, value: string | number ): string => {
	if ( typeof value === 'number' ) {
		// Ids stay as they are written in WooCommerce; amounts read in the user's digits.
		return [ 'product_id', 'order', 'configuration' ].includes( key )
			? String( value )
			: formatNumber( value );
	}
	return key === 'store_modified' || key === 'ingested'
		? formatDateTime( value )
		: value;
};

const detailText = (
	detail: Record< string, string | number | null >
): string =>
	Object.entries( detail )
		.flatMap( ( [ key, value ] ) =>
			value === null || value === ''
				? []
				: [
						sprintf(
							/* translators: 1: name of a value (such as "SIIGO stock"), 2: the value. */
							__( '%1$s: %2$s', 'sync-hub' ),
							detailLabel( key ),
							detailValue( key, value )
						),
					]
		)
		.join( ' · ' );

function DomainReport( {
	domain,
	report,
	drift,
}: {
	domain: string;
	report: DriftReport | null;
	drift: DriftResource;
} ) {
	const fixable = report?.items.filter( ( item ) => item.resyncable ) ?? [];
	const resyncing =
		drift.resync.status === 'resolving' &&
		drift.resync.variables?.domain === domain;
	return (
		<section
			className="synchub-drift__domain"
			data-domain={ domain }
			aria-labelledby={ `synchub-drift-${ domain }` }
		>
			<header className="synchub-drift__head">
				<h3 id={ `synchub-drift-${ domain }` }>
					{ domainLabel( domain ) }
				</h3>
				<StatusOf report={ report } />
			</header>
			{ report && (
				<p className="synchub-drift__meta">
					{ sprintf(
						/* translators: 1: date and time of the check, 2: number of records compared. */
						__( 'Checked %1$s · %2$s compared', 'sync-hub' ),
						formatDateTime( report.checkedAt ),
						formatNumber( report.compared )
					) }
				</p>
			) }
			{ report?.status === 'not_configured' &&
			notConfiguredHint( domain ) ? (
				<p
					className="synchub-drift__message"
					title={ report.message ?? undefined }
				>
					{ notConfiguredHint( domain ) }
				</p>
			) : (
				report?.message && (
					<p className="synchub-drift__message">{ report.message }</p>
				)
			) }
			{ report && Object.keys( report.kinds ).length > 0 && (
				<ul className="synchub-drift__kinds">
					{ Object.entries( report.kinds ).map(
						( [ kind, count ] ) => (
							<li key={ kind }>
								<strong>{ formatNumber( count ) }</strong>{ ' ' }
								{ kindLabel( kind ) }
							</li>
						)
					) }
				</ul>
			) }
			{ report && report.items.length > 0 && (
				<table className="widefat striped synchub-drift__items">
					<caption className="screen-reader-text">
						{ sprintf(
							/* translators: %s: name of the area (Events, Stock…). */
							__( 'First records that differ: %s', 'sync-hub' ),
							domainLabel( domain )
						) }
					</caption>
					<thead>
						<tr>
							<th scope="col">{ __( 'Id', 'sync-hub' ) }</th>
							<th scope="col">
								{ __( 'What differs', 'sync-hub' ) }
							</th>
							<th scope="col">{ __( 'Details', 'sync-hub' ) }</th>
						</tr>
					</thead>
					<tbody>
						{ report.items.slice( 0, 10 ).map( ( item ) => (
							<tr key={ `${ item.kind }-${ item.id }` }>
								<td>{ item.id }</td>
								<td>{ kindLabel( item.kind ) }</td>
								<td>{ detailText( item.detail ) }</td>
							</tr>
						) ) }
					</tbody>
				</table>
			) }
			{ fixable.length > 0 && (
				<Button
					variant="secondary"
					isBusy={ resyncing }
					disabled={ resyncing }
					onClick={ () =>
						void drift.resync.mutate( {
							domain,
							ids: fixable.map( ( item ) => item.id ),
						} )
					}
				>
					{ /* eslint-disable-next-line @wordpress/valid-sprintf -- the singular form names no number on purpose. */ }
					{ sprintf(
						/* translators: %s: number of records to sync again. */
						_n(
							'Re-sync this one',
							'Re-sync these %s',
							fixable.length,
							'sync-hub'
						),
						formatNumber( fixable.length )
					) }
				</Button>
			) }
		</section>
	);
}

export function DriftCard() {
	const drift = useDrift();
	const { data, error, status } = drift;
	const running = data?.running ?? null;
	return (
		<Card className="synchub-card synchub-drift">
			<CardHeader>
				<h2 className="synchub-card__title">
					{ __( 'Is everything in sync?', 'sync-hub' ) }
				</h2>
				<Button
					variant="primary"
					isBusy={
						running !== null || drift.check.status === 'resolving'
					}
					disabled={
						running !== null || drift.check.status === 'resolving'
					}
					onClick={ () => void drift.check.mutate() }
				>
					{ __( 'Check now', 'sync-hub' ) }
				</Button>
			</CardHeader>
			<CardBody>
				{ status === 'error' && error && (
					<ErrorState
						error={ error }
						onRetry={ () => void drift.refresh() }
					/>
				) }
				{ data === undefined && status !== 'error' && (
					<LoadingState
						label={ __( 'Loading the drift report…', 'sync-hub' ) }
					/>
				) }
				{ running && (
					<div className="synchub-drift__progress">
						<label htmlFor="synchub-drift-progress">
							{ sprintf(
								/* translators: %s: percent done, as a number. */
								__( 'Checking… %s%%', 'sync-hub' ),
								formatNumber( running.progress )
							) }
						</label>
						<progress
							id="synchub-drift-progress"
							max={ 100 }
							value={ running.progress }
						/>
					</div>
				) }
				{ data?.nextCheckAt && (
					<p className="synchub-drift__meta">
						{ sprintf(
							/* translators: %s: date and time of the next scheduled check. */
							__( 'Next scheduled check: %s', 'sync-hub' ),
							formatDateTime( data.nextCheckAt )
						) }
					</p>
				) }
				{ data && (
					<div className="synchub-drift__domains">
						{ data.domains.map( ( entry ) => (
							<DomainReport
								key={ entry.domain }
								domain={ entry.domain }
								report={ entry.report }
								drift={ drift }
							/>
						) ) }
					</div>
				) }
			</CardBody>
		</Card>
	);
}
