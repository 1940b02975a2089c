/**
 * External dependencies
 */
import { fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';

/**
 * Internal dependencies
 */
import { ApiError } from '../../../admin-ui/src/data/errors';
import type { Loadable } from '../../../admin-ui/src/data/request-state';
import { ListCard } from '../../../admin-ui/src/ui/list-card';

interface Row {
	id: number;
	name: string;
	uses: number;
}

const source = (
	overrides: Partial< Loadable< Row[] > >
): Loadable< Row[] > => ( {
	data: undefined,
	error: undefined,
	status: 'resolving',
	refresh: vi.fn(),
	...overrides,
} );

function List( { from }: { from: Loadable< Row[] > } ) {
	return (
		<ListCard< Row >
			title="Things"
			cardClassName="test-things"
			source={ from }
			loadingLabel="Loading things…"
			empty="No things yet."
			rowKey={ ( row ) => row.id }
			rowData={ ( row ) => ( { 'data-thing': row.id } ) }
			columns={ [
				{ header: 'Name', cell: ( row ) => row.name },
				{
					header: 'Uses',
					numeric: true,
					cell: ( row ) => String( row.uses ),
				},
			] }
			actions={ ( row ) => (
				<button type="button">{ `Delete ${ row.name }` }</button>
			) }
		/>
	);
}

describe( 'ListCard', () => {
	it( 'shows the loading state until rows arrive', () => {
		render( <List from={ source( {} ) } /> );
		expect( screen.getByRole( 'status' ).textContent ).toContain(
			'Loading things…'
		);
		expect( screen.queryByRole( 'table' ) ).toBeNull();
	} );

	it( 'shows the empty state when there are no rows', () => {
		render( <List from={ source( { data: [], status: 'finished' } ) } /> );
		expect( screen.getByText( 'No things yet.' ) ).toBeTruthy();
		expect( screen.queryByRole( 'table' ) ).toBeNull();
	} );

	it( 'renders a row per item with its data attributes, numeric cells and a named actions column', () => {
		const { container } = render(
			<List
				from={ source( {
					data: [
						{ id: 1, name: 'alpha', uses: 3 },
						{ id: 2, name: 'beta', uses: 0 },
					],
					status: 'finished',
				} ) }
			/>
		);
		expect(
			container.querySelector( '.synchub-card.test-things' )
		).not.toBeNull();
		expect(
			screen.getByRole( 'heading', { name: 'Things' } )
		).toBeTruthy();
		const rows = container.querySelectorAll( 'tbody tr' );
		expect(
			[ ...rows ].map( ( row ) => row.getAttribute( 'data-thing' ) )
		).toEqual( [ '1', '2' ] );
		expect( rows[ 0 ]?.querySelector( 'td.is-numeric' )?.textContent ).toBe(
			'3'
		);
		expect( container.querySelector( 'th.is-numeric' )?.textContent ).toBe(
			'Uses'
		);
		expect( screen.getByText( 'Actions' ).className ).toBe(
			'screen-reader-text'
		);
		expect(
			screen.getByRole( 'button', { name: 'Delete beta' } )
		).toBeTruthy();
	} );

	it( 'shows the error with "Try again", and keeps rows it already had', () => {
		const refresh = vi.fn();
		const error = new ApiError(
			'worker_unreachable',
			'The worker did not answer.',
			503
		);
		render(
			<List
				from={ source( {
					data: [ { id: 1, name: 'alpha', uses: 3 } ],
					status: 'error',
					error,
					refresh,
				} ) }
			/>
		);
		expect( screen.getByText( 'The worker did not answer.' ) ).toBeTruthy();
		expect( screen.getByRole( 'table' ) ).toBeTruthy();
		fireEvent.click( screen.getByRole( 'button', { name: 'Try again' } ) );
		expect( refresh ).toHaveBeenCalledTimes( 1 );
	} );
} );
