/**
 * The one list of the admin page: a table of rows with an optional actions column, and the
 * loading, error (with "Try again") and empty states every list shows the same way.
 */

/**
 * External dependencies
 */
import type { Key, ReactNode } from 'react';

/**
 * WordPress dependencies
 */
import {
	Card,
	CardBody,
	CardHeader,
	SelectControl,
} from '@wordpress/components';
import { __ } from '@wordpress/i18n';

/**
 * Internal dependencies
 */
import type { Loadable } from '../data/request-state';
import { EmptyState, SourceStatus } from './request-states';

export interface ListColumn< Row > {
	header: ReactNode;
	cell: ( row: Row ) => ReactNode;
	/** Of the cells only. */
	className?: string;
	/** Right-aligned, header included. */
	numeric?: boolean;
}

export interface ListTableProps< Row > {
	source: Loadable< Row[] >;
	columns: ListColumn< Row >[];
	rowKey: ( row: Row ) => Key;
	/** `data-*` attributes of a row (tests and styles find rows by them). */
	rowData?: ( row: Row ) => Record< `data-${ string }`, string | number >;
	/** The row's buttons, in a last column named for screen readers only. */
	actions?: ( row: Row ) => ReactNode;
	loadingLabel: string;
	empty: ReactNode;
	className?: string;
	/** `data-*` attributes of the table. */
	tableData?: Record< `data-${ string }`, string | number >;
}

const cellClass = < Row, >( column: ListColumn< Row > ) =>
	[ column.numeric && 'is-numeric', column.className ]
		.filter( Boolean )
		.join( ' ' ) || undefined;

export function ListTable< Row >( {
	source,
	columns,
	rowKey,
	rowData,
	actions,
	loadingLabel,
	empty,
	className = 'widefat striped synchub-table',
	tableData,
}: ListTableProps< Row > ) {
	const { data } = source;
	const status = (
		<SourceStatus source={ source } loadingLabel={ loadingLabel } />
	);
	if ( data === undefined ) {
		return status;
	}
	if ( data.length === 0 ) {
		return (
			<>
				{ status }
				<EmptyState>{ empty }</EmptyState>
			</>
		);
	}
	return (
		<>
			{ status }
			<table className={ className } { ...tableData }>
				<thead>
					<tr>
						{ columns.map( ( column, index ) => (
							<th
								key={ index }
								scope="col"
								className={
									column.numeric ? 'is-numeric' : undefined
								}
							>
								{ column.header }
							</th>
						) ) }
						{ actions && (
							<th scope="col">
								<span className="screen-reader-text">
									{ __( 'Actions', 'sync-hub' ) }
								</span>
							</th>
						) }
					</tr>
				</thead>
				<tbody>
					{ data.map( ( row ) => (
						<tr key={ rowKey( row ) } { ...rowData?.( row ) }>
							{ columns.map( ( column, index ) => (
								<td
									key={ index }
									className={ cellClass( column ) }
								>
									{ column.cell( row ) }
								</td>
							) ) }
							{ actions && (
								<td className="synchub-table__actions">
									{ actions( row ) }
								</td>
							) }
						</tr>
					) ) }
				</tbody>
			</table>
		</>
	);
}

export interface ListCardProps< Row > extends ListTableProps< Row > {
	title: ReactNode;
	cardClassName: string;
	/** Beside the title: the card's own buttons ("Add …"). */
	headerActions?: ReactNode;
	/** Above the table: filters, bulk actions. */
	toolbar?: ReactNode;
	/** Under the table: paging, card-wide actions. */
	footer?: ReactNode;
}

export function ListCard< Row >( {
	title,
	cardClassName,
	headerActions,
	toolbar,
	footer,
	...table
}: ListCardProps< Row > ) {
	return (
		<Card className={ `synchub-card ${ cardClassName }` }>
			<CardHeader>
				<h2 className="synchub-card__title">{ title }</h2>
				{ headerActions }
			</CardHeader>
			<CardBody>
				{ toolbar }
				<ListTable { ...table } />
				{ footer }
			</CardBody>
		</Card>
	);
}

export interface ListFilterProps {
	label: string;
	value: string;
	/** The first option, value '': no filtering. */
	anyLabel: string;
	options: Array< { value: string; label: string } >;
	onChange: ( value: string ) => void;
}

/**
 * One filter of a list's toolbar: "any" first, then the choices.
 * @param root0
 * @param root0.label
 * @param root0.value
 * @param root0.anyLabel
 * @param root0.options
 * @param root0.onChange
 */
export function ListFilter( {
	label,
	value,
	anyLabel,
	options,
	onChange,
}: ListFilterProps ) {
	return (
		<SelectControl
			label={ label }
			value={ value }
			options={ [ { value: '', label: anyLabel }, ...options ] }
			onChange={ onChange }
			__nextHasNoMarginBottom
		/>
	);
}

/**
 * The row of filters above a list.
 * @param root0
 * @param root0.children
 */
export function ListFilters( { children }: { children: ReactNode } ) {
	return <div className="synchub-filters">{ children }</div>;
}
