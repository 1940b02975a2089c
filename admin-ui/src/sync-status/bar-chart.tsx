/**
 * A grouped bar chart (one group per day or hour, one bar per series) drawn with visx: SVG, so
 * it is styled and read like the rest of the page. In a right-to-left language time runs from
 * right to left. The figure is labelled for screen readers and the numbers are also given as a
 * table (visually hidden).
 */

/**
 * External dependencies
 */
import { Group } from '@visx/group';
import { scaleBand, scaleLinear } from '@visx/scale';
import { Bar } from '@visx/shape';

/**
 * WordPress dependencies
 */
import { useRef } from '@wordpress/element';
import { __, sprintf } from '@wordpress/i18n';

/**
 * Internal dependencies
 */
import { getBootstrap, getLanguageTag } from '../bootstrap';

export const SERIES_COLOURS = [
	'#3858e9',
	'#d63638',
	'#00a32a',
	'#dba617',
	'#9b51e0',
	'#8c8f94',
];

export interface ChartSeries {
	key: string;
	label: string;
	values: number[];
}

interface BarChartProps {
	title: string;
	/** Bucket starts, ISO, oldest first. */
	buckets: string[];
	bucket: 'day' | 'hour';
	series: ChartSeries[];
	width?: number;
	height?: number;
}

const MARGIN = { top: 8, bottom: 24, side: 32 };

export function bucketLabel( iso: string, bucket: 'day' | 'hour' ): string {
	const options: Intl.DateTimeFormatOptions =
		bucket === 'hour'
			? { hour: '2-digit', minute: '2-digit', timeZone: 'UTC' }
			: { month: 'short', day: 'numeric', timeZone: 'UTC' };
	try {
		return new Intl.DateTimeFormat( getLanguageTag(), options ).format(
			new Date( iso )
		);
	} catch {
		return iso;
	}
}

const formatNumber = ( value: number ): string => {
	try {
		return new Intl.NumberFormat( getLanguageTag() ).format( value );
	} catch {
		return String( value );
	}
};

let charts = 0;

/** A stable id per chart (WordPress 6.1 ships React 17, which has no useId). */
function useChartId(): string {
	const id = useRef( '' );
	if ( id.current === '' ) {
		charts += 1;
		id.current = `synchub-chart-${ charts }`;
	}
	return id.current;
}

export function BarChart( {
	title,
	buckets,
	bucket,
	series,
	width = 520,
	height = 200,
}: BarChartProps ) {
	const id = useChartId();
	const rtl = getBootstrap().isRtl;
	const innerWidth = width - MARGIN.side * 2;
	const innerHeight = height - MARGIN.top - MARGIN.bottom;
	const max = Math.max( 1, ...series.flatMap( ( entry ) => entry.values ) );
	const x = scaleBand< number >( {
		domain: buckets.map( ( _bucket, index ) => index ),
		range: rtl ? [ innerWidth, 0 ] : [ 0, innerWidth ],
		padding: 0.2,
	} );
	const inner = scaleBand< number >( {
		domain: series.map( ( _entry, index ) => index ),
		range: [ 0, x.bandwidth() ],
		padding: 0.1,
	} );
	const y = scaleLinear< number >( {
		domain: [ 0, max ],
		range: [ innerHeight, 0 ],
		nice: true,
	} );
	const every = Math.max( 1, Math.ceil( buckets.length / 7 ) );
	const totals = series.map( ( entry ) =>
		sprintf(
			/* translators: 1: name of a series, 2: its total over the period. */
			__( '%1$s: %2$s', 'sync-hub' ),
			entry.label,
			formatNumber(
				entry.values.reduce( ( sum, value ) => sum + value, 0 )
			)
		)
	);
	const summary = sprintf(
		/* translators: 1: chart title, 2: totals per series, separated by commas. */
		__( '%1$s. Totals: %2$s.', 'sync-hub' ),
		title,
		totals.join( ', ' )
	);
	const top = y.domain()[ 1 ] ?? max;

	return (
		<figure className="synchub-chart" aria-labelledby={ `${ id }-title` }>
			<figcaption id={ `${ id }-title` } className="synchub-chart__title">
				{ title }
			</figcaption>
			<svg
				className="synchub-chart__svg"
				viewBox={ `0 0 ${ width } ${ height }` }
				role="img"
				aria-label={ summary }
				preserveAspectRatio="xMidYMid meet"
			>
				<Group left={ MARGIN.side } top={ MARGIN.top }>
					<line
						x1={ 0 }
						x2={ innerWidth }
						y1={ innerHeight }
						y2={ innerHeight }
						className="synchub-chart__axis"
					/>
					<line
						x1={ 0 }
						x2={ innerWidth }
						y1={ y( top ) }
						y2={ y( top ) }
						className="synchub-chart__grid"
					/>
					<text
						x={ rtl ? innerWidth + 4 : -4 }
						y={ y( top ) }
						className="synchub-chart__tick"
						textAnchor={ rtl ? 'start' : 'end' }
						dominantBaseline="middle"
					>
						{ formatNumber( top ) }
					</text>
					<text
						x={ rtl ? innerWidth + 4 : -4 }
						y={ innerHeight }
						className="synchub-chart__tick"
						textAnchor={ rtl ? 'start' : 'end' }
						dominantBaseline="middle"
					>
						{ formatNumber( 0 ) }
					</text>
					{ buckets.map( ( start, index ) => {
						const left = x( index ) ?? 0;
						return (
							<Group key={ start } left={ left }>
								{ series.map( ( entry, position ) => {
									const value = entry.values[ index ] ?? 0;
									const barHeight = innerHeight - y( value );
									return (
										<Bar
											key={ entry.key }
											x={
												inner(
													rtl
														? series.length -
																1 -
																position
														: position
												) ?? 0
											}
											y={ innerHeight - barHeight }
											width={ inner.bandwidth() }
											height={ barHeight }
											fill={
												SERIES_COLOURS[
													position %
														SERIES_COLOURS.length
												]
											}
										>
											<title>{ `${ entry.label } — ${ bucketLabel( start, bucket ) }: ${ formatNumber( value ) }` }</title>
										</Bar>
									);
								} ) }
								{ index % every === 0 && (
									<text
										x={ x.bandwidth() / 2 }
										y={ innerHeight + 16 }
										className="synchub-chart__tick"
										textAnchor="middle"
									>
										{ bucketLabel( start, bucket ) }
									</text>
								) }
							</Group>
						);
					} ) }
				</Group>
			</svg>
			<ul className="synchub-chart__legend">
				{ series.map( ( entry, position ) => (
					<li key={ entry.key }>
						<span
							className="synchub-chart__swatch"
							style={ {
								background:
									SERIES_COLOURS[
										position % SERIES_COLOURS.length
									],
							} }
							aria-hidden="true"
						/>
						{ entry.label }
					</li>
				) ) }
			</ul>
			<table className="screen-reader-text">
				<caption>{ title }</caption>
				<thead>
					<tr>
						<th scope="col">
							{ bucket === 'hour'
								? __( 'Hour (UTC)', 'sync-hub' )
								: __( 'Day (UTC)', 'sync-hub' ) }
						</th>
						{ series.map( ( entry ) => (
							<th key={ entry.key } scope="col">
								{ entry.label }
							</th>
						) ) }
					</tr>
				</thead>
				<tbody>
					{ buckets.map( ( start, index ) => (
						<tr key={ start }>
							<th scope="row">
								{ bucketLabel( start, bucket ) }
							</th>
							{ series.map( ( entry ) => (
								<td key={ entry.key }>
									{ formatNumber(
										entry.values[ index ] ?? 0
									) }
								</td>
							) ) }
						</tr>
					) ) }
				</tbody>
			</table>
		</figure>
	);
}
