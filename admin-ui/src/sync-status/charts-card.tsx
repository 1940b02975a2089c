/**
 * What happened: one chart per activity the worker counts, per day (14 days) or per hour (48 hours).
 */

/**
 * WordPress dependencies
 */
import {
	Button,
	ButtonGroup,
	Card,
	CardBody,
	CardHeader,
} from '@wordpress/components';
import { useState } from '@wordpress/element';
import { __ } from '@wordpress/i18n';

/**
 * Internal dependencies
 */
import { EmptyState, ErrorState, LoadingState } from '../ui/request-states';
import { BarChart } from './bar-chart';
import {
	useActivity,
	useOutboxActivity,
	type Activity,
	type Bucket,
} from './data';
import { chartTitle, seriesLabel } from './labels';

const CHARTS = [
	'events_synced',
	'bookings_sent',
	'stock_changes',
	'product_events',
	'embeddings',
	'outbox',
	'deliveries',
];

function Charts( { activity }: { activity: Activity } ) {
	const charts = [
		...CHARTS,
		...new Set(
			activity.series
				.map( ( entry ) => entry.chart )
				.filter( ( chart ) => ! CHARTS.includes( chart ) )
		),
	];
	return (
		<div className="synchub-charts">
			{ charts.map( ( chart ) => {
				const series = activity.series.filter(
					( entry ) => entry.chart === chart
				);
				if ( series.length === 0 ) {
					return null;
				}
				const empty = series.every( ( entry ) =>
					entry.values.every( ( value ) => value === 0 )
				);
				return (
					<div
						key={ chart }
						className="synchub-charts__item"
						data-chart={ chart }
					>
						{ empty ? (
							<>
								<h3 className="synchub-chart__title">
									{ chartTitle( chart ) }
								</h3>
								<EmptyState>
									{ __(
										'Nothing in this period.',
										'sync-hub'
									) }
								</EmptyState>
							</>
						) : (
							<BarChart
								title={ chartTitle( chart ) }
								bucket={ activity.bucket }
								buckets={ activity.buckets }
								series={ series.map( ( entry ) => ( {
									key: entry.key,
									label: seriesLabel( entry.key ),
									values: entry.values,
								} ) ) }
							/>
						) }
					</div>
				);
			} ) }
		</div>
	);
}

export function ChartsCard() {
	const [ bucket, setBucket ] = useState< Bucket >( 'day' );
	const activity = useActivity( bucket );
	// The plugin's own outbox (deliveries and failures) joins the worker's series when it is read;
	// the worker's charts do not wait for it, nor fail with it.
	const outbox = useOutboxActivity( bucket );
	const { error, status } = activity;
	const data =
		activity.data &&
		outbox.data &&
		outbox.data.bucket === activity.data.bucket &&
		outbox.data.buckets.join() === activity.data.buckets.join()
			? {
					...activity.data,
					series: [ ...activity.data.series, ...outbox.data.series ],
				}
			: activity.data;
	return (
		<Card className="synchub-card synchub-activity">
			<CardHeader>
				<h2 className="synchub-card__title">
					{ __( 'What happened', 'sync-hub' ) }
				</h2>
				<ButtonGroup
					role="group"
					aria-label={ __( 'Show per', 'sync-hub' ) }
					className="synchub-activity__buckets"
				>
					<Button
						variant={ bucket === 'day' ? 'primary' : 'secondary' }
						isPressed={ bucket === 'day' }
						onClick={ () => setBucket( 'day' ) }
					>
						{ __( 'Day (last 14)', 'sync-hub' ) }
					</Button>
					<Button
						variant={ bucket === 'hour' ? 'primary' : 'secondary' }
						isPressed={ bucket === 'hour' }
						onClick={ () => setBucket( 'hour' ) }
					>
						{ __( 'Hour (last 48)', 'sync-hub' ) }
					</Button>
				</ButtonGroup>
			</CardHeader>
			<CardBody>
				{ status === 'error' && error && (
					<ErrorState
						error={ error }
						onRetry={ () => void activity.refresh() }
					/>
				) }
				{ data === undefined && status !== 'error' && (
					<LoadingState
						label={ __( 'Loading the activity…', 'sync-hub' ) }
					/>
				) }
				{ data && data.bucket === bucket && (
					<Charts activity={ data } />
				) }
			</CardBody>
		</Card>
	);
}
