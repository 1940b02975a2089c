/**
 * The one connection-settings card of the admin page: the saved settings load (loading and error
 * states), the form is rendered from them and rebuilt when they change, and its actions row is
 * always "Save …" (submits the form) then "Test connection", then whatever else the card needs.
 */

/**
 * External dependencies
 */
import type { ReactNode } from 'react';

/**
 * WordPress dependencies
 */
import { Button, Card, CardBody, CardHeader } from '@wordpress/components';
import { Fragment } from '@wordpress/element';
import { __ } from '@wordpress/i18n';

/**
 * Internal dependencies
 */
import type { Loadable } from '../data/request-state';
import { SourceStatus } from './request-states';

interface ConnectionCardProps< Settings > {
	title: ReactNode;
	cardClassName: string;
	source: Loadable< Settings >;
	loadingLabel: string;
	/** Identity of the saved settings: the form starts again from them when it changes. */
	formKey: ( settings: Settings ) => string;
	form: ( settings: Settings ) => ReactNode;
	/** Under the form, shown whether or not the settings loaded. */
	footer?: ReactNode;
}

export function ConnectionCard< Settings >( {
	title,
	cardClassName,
	source,
	loadingLabel,
	formKey,
	form,
	footer,
}: ConnectionCardProps< Settings > ) {
	const { data } = source;
	return (
		<Card className={ `synchub-card ${ cardClassName }` }>
			<CardHeader>
				<h2 className="synchub-card__title">{ title }</h2>
			</CardHeader>
			<CardBody>
				<SourceStatus source={ source } loadingLabel={ loadingLabel } />
				{ data !== undefined && (
					<Fragment key={ formKey( data ) }>
						{ form( data ) }
					</Fragment>
				) }
				{ footer }
			</CardBody>
		</Card>
	);
}

interface Pending {
	status: string;
}

interface ConnectionActionsProps {
	saveLabel: string;
	save: Pending;
	/** Besides while saving: the form is not valid yet. */
	saveDisabled?: boolean;
	test: Pending;
	onTest: () => void;
	/** After Save and Test, e.g. "Use the environment again". */
	children?: ReactNode;
}

export function ConnectionActions( {
	saveLabel,
	save,
	saveDisabled = false,
	test,
	onTest,
	children,
}: ConnectionActionsProps ) {
	return (
		<div className="synchub-settings__actions">
			<Button
				variant="primary"
				type="submit"
				isBusy={ save.status === 'resolving' }
				disabled={ saveDisabled || save.status === 'resolving' }
			>
				{ saveLabel }
			</Button>
			<Button
				variant="secondary"
				isBusy={ test.status === 'resolving' }
				disabled={ test.status === 'resolving' }
				onClick={ onTest }
			>
				{ __( 'Test connection', 'sync-hub' ) }
			</Button>
			{ children }
		</div>
	);
}
