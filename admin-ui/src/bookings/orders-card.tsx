/**
 * Orders sent to Odoo (with the Odoo order names) and failures with Retry; "Sync all unsynced"
 * and "Send test order".
 */

/**
 * WordPress dependencies
 */
import {
	Button,
	Card,
	CardBody,
	CardHeader,
	TabPanel,
	TextControl,
} from '@wordpress/components';
import { useState } from '@wordpress/element';
import { __ } from '@wordpress/i18n';

/**
 * Internal dependencies
 */
import { EmptyState, ErrorState, LoadingState } from '../ui/request-states';
import {
	useBookingOrders,
	useSendTestOrder,
	type BookingOrderStatus,
} from './data';

function OrdersTable( { status }: { status: BookingOrderStatus } ) {
	const resource = useBookingOrders( status );
	const { data, error, retry } = resource;
	if ( resource.status === 'error' && error ) {
		return (
			<ErrorState
				error={ error }
				onRetry={ () => void resource.refresh() }
			/>
		);
	}
	if ( data === undefined ) {
		return <LoadingState label={ __( 'Loading orders…', 'sync-hub' ) } />;
	}
	if ( data.items.length === 0 ) {
		return (
			<EmptyState>
				{ status === 'failed'
					? __( 'No failed orders.', 'sync-hub' )
					: __( 'No orders synced yet.', 'sync-hub' ) }
			</EmptyState>
		);
	}
	return (
		<table
			className="widefat striped synchub-bookings__orders"
			data-status={ status }
		>
			<thead>
				<tr>
					<th scope="col">{ __( 'Order', 'sync-hub' ) }</th>
					<th scope="col">{ __( 'Paid', 'sync-hub' ) }</th>
					{ status === 'failed' ? (
						<th scope="col">{ __( 'Error', 'sync-hub' ) }</th>
					) : (
						<th scope="col">{ __( 'Odoo order', 'sync-hub' ) }</th>
					) }
					{ status === 'failed' && (
						<th scope="col">
							<span className="screen-reader-text">
								{ __( 'Actions', 'sync-hub' ) }
							</span>
						</th>
					) }
				</tr>
			</thead>
			<tbody>
				{ data.items.map( ( row ) => (
					<tr key={ row.orderId } data-order={ row.orderId }>
						<td>#{ row.number }</td>
						<td>{ row.paidAt ?? '—' }</td>
						{ status === 'failed' ? (
							<td className="synchub-bookings__error">
								{ row.lastError ?? '—' }
							</td>
						) : (
							<td>{ row.odooOrderName ?? '—' }</td>
						) }
						{ status === 'failed' && (
							<td>
								<Button
									variant="secondary"
									isBusy={
										retry.status === 'resolving' &&
										retry.variables === row.orderId
									}
									disabled={ retry.status === 'resolving' }
									onClick={ () =>
										void retry.mutate( row.orderId )
									}
								>
									{ __( 'Retry', 'sync-hub' ) }
								</Button>
							</td>
						) }
					</tr>
				) ) }
			</tbody>
		</table>
	);
}

function Actions() {
	const orders = useBookingOrders( 'pending' );
	const sendTest = useSendTestOrder();
	const [ orderId, setOrderId ] = useState( '' );
	return (
		<div className="synchub-bookings__actions">
			<Button
				variant="secondary"
				isBusy={ orders.syncAll.status === 'resolving' }
				disabled={ orders.syncAll.status === 'resolving' }
				onClick={ () => void orders.syncAll.mutate( undefined ) }
			>
				{ __( 'Sync all unsynced orders', 'sync-hub' ) }
			</Button>
			<TextControl
				label={ __(
					'Order number for the test (optional)',
					'sync-hub'
				) }
				type="number"
				min={ 1 }
				value={ orderId }
				onChange={ setOrderId }
				__nextHasNoMarginBottom
			/>
			<Button
				variant="secondary"
				isBusy={ sendTest.status === 'resolving' }
				disabled={ sendTest.status === 'resolving' }
				onClick={ () =>
					void sendTest.mutate(
						orderId.trim() === '' ? undefined : Number( orderId )
					)
				}
			>
				{ __( 'Send test order', 'sync-hub' ) }
			</Button>
		</div>
	);
}

export function OrdersCard() {
	return (
		<Card className="synchub-card synchub-bookings-orders">
			<CardHeader>
				<h2 className="synchub-card__title">
					{ __( 'Orders in Odoo', 'sync-hub' ) }
				</h2>
			</CardHeader>
			<CardBody>
				<TabPanel
					tabs={ [
						{ name: 'synced', title: __( 'Synced', 'sync-hub' ) },
						{ name: 'failed', title: __( 'Failed', 'sync-hub' ) },
					] }
				>
					{ ( tab ) => (
						<OrdersTable
							status={
								tab.name === 'failed' ? 'failed' : 'synced'
							}
						/>
					) }
				</TabPanel>
				<Actions />
			</CardBody>
		</Card>
	);
}
