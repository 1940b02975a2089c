/**
 * External dependencies
 */
import { fireEvent, render, screen } from '@testing-library/react';
import { useState } from 'react';
import { describe, expect, it, vi } from 'vitest';

/**
 * Internal dependencies
 */
import { ApiError } from '../../../admin-ui/src/data/errors';
import type { Loadable } from '../../../admin-ui/src/data/request-state';
import {
	ConnectionActions,
	ConnectionCard,
} from '../../../admin-ui/src/ui/connection-card';

interface Saved {
	url: string;
}

function Form( { saved }: { saved: Saved } ) {
	const [ url, setUrl ] = useState( saved.url );
	return (
		<form onSubmit={ ( event ) => event.preventDefault() }>
			<label htmlFor="peer-url">URL</label>
			<input
				id="peer-url"
				value={ url }
				onChange={ ( event ) => setUrl( event.target.value ) }
			/>
			<ConnectionActions
				saveLabel="Save peer"
				save={ { status: 'idle' } }
				test={ { status: 'resolving' } }
				onTest={ () => undefined }
			/>
		</form>
	);
}

function Card( { from }: { from: Loadable< Saved > } ) {
	return (
		<ConnectionCard< Saved >
			title="Peer connection"
			cardClassName="test-peer"
			source={ from }
			loadingLabel="Loading the peer settings…"
			formKey={ ( saved ) => saved.url }
			form={ ( saved ) => <Form saved={ saved } /> }
			footer={ <p>always here</p> }
		/>
	);
}

const source = (
	overrides: Partial< Loadable< Saved > >
): Loadable< Saved > => ( {
	data: undefined,
	error: undefined,
	status: 'resolving',
	refresh: vi.fn(),
	...overrides,
} );

describe( 'ConnectionCard', () => {
	it( 'shows loading, then the form built from the saved settings; the footer either way', () => {
		const { rerender } = render( <Card from={ source( {} ) } /> );
		expect( screen.getByRole( 'status' ).textContent ).toContain(
			'Loading the peer settings…'
		);
		expect( screen.getByText( 'always here' ) ).toBeTruthy();
		rerender(
			<Card
				from={ source( {
					data: { url: 'https://a.example' },
					status: 'finished',
				} ) }
			/>
		);
		expect(
			( screen.getByLabelText( 'URL' ) as HTMLInputElement ).value
		).toBe( 'https://a.example' );
		expect( screen.getByText( 'always here' ) ).toBeTruthy();
	} );

	it( 'starts the form again when the saved settings change, not on every render', () => {
		const { rerender } = render(
			<Card
				from={ source( {
					data: { url: 'https://a.example' },
					status: 'finished',
				} ) }
			/>
		);
		fireEvent.change( screen.getByLabelText( 'URL' ), {
			target: { value: 'https://typing.example' },
		} );
		rerender(
			<Card
				from={ source( {
					data: { url: 'https://a.example' },
					status: 'finished',
				} ) }
			/>
		);
		expect(
			( screen.getByLabelText( 'URL' ) as HTMLInputElement ).value
		).toBe( 'https://typing.example' );
		rerender(
			<Card
				from={ source( {
					data: { url: 'https://b.example' },
					status: 'finished',
				} ) }
			/>
		);
		expect(
			( screen.getByLabelText( 'URL' ) as HTMLInputElement ).value
		).toBe( 'https://b.example' );
	} );

	it( 'shows the error with "Try again"', () => {
		const refresh = vi.fn();
		render(
			<Card
				from={ source( {
					status: 'error',
					error: new ApiError( 'forbidden', 'Not allowed.', 403 ),
					refresh,
				} ) }
			/>
		);
		expect( screen.getByText( 'Not allowed.' ) ).toBeTruthy();
		fireEvent.click( screen.getByRole( 'button', { name: 'Try again' } ) );
		expect( refresh ).toHaveBeenCalledTimes( 1 );
	} );

	it( 'has Save (submits) then Test connection (busy while testing)', () => {
		render(
			<Card
				from={ source( {
					data: { url: 'https://a.example' },
					status: 'finished',
				} ) }
			/>
		);
		const save = screen.getByRole( 'button', { name: 'Save peer' } );
		expect( save.getAttribute( 'type' ) ).toBe( 'submit' );
		const test = screen.getByRole( 'button', { name: 'Test connection' } );
		expect( ( test as HTMLButtonElement ).disabled ).toBe( true );
		expect( test.className ).toContain( 'is-busy' );
	} );
} );
