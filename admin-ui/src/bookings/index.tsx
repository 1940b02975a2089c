/**
 * The Bookings screen: Odoo connection, cart discount rule, orders in Odoo and failures.
 */

/**
 * Internal dependencies
 */
import { ConnectionCard } from './connection-card';
import { DiscountCard } from './discount-card';
import { OrdersCard } from './orders-card';

export function BookingsScreen() {
	return (
		<div className="synchub-screen synchub-bookings">
			<ConnectionCard />
			<DiscountCard />
			<OrdersCard />
		</div>
	);
}
