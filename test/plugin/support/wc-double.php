<?php
/**
 * Test double of WooCommerce's order CRUD API: the public getters Sync Hub uses, nothing more.
 *
 * Orders live in the `synchub_test_orders` option so that separate requests (and processes)
 * see the same orders and meta, as they would see WooCommerce's tables.
 * Loaded only when WooCommerce is absent (see mu-plugins/synchub-wc-double.php).
 *
 * @package SyncHub\Tests
 */

// phpcs:disable Generic.Files.OneObjectStructurePerFile.MultipleFound

/**
 * WooCommerce's DateTime subclass.
 */
class WC_DateTime extends DateTime {
}

/**
 * One meta entry (`WC_Meta_Data::get_data()` gives id, key, value).
 */
class WC_Meta_Data {
	/** @var int */
	public $id;
	/** @var string */
	public $key;
	/** @var mixed */
	public $value;

	/**
	 * @param int    $id    Meta id.
	 * @param string $key   Meta key.
	 * @param mixed  $value Meta value.
	 */
	public function __construct( int $id, string $key, $value ) {
		$this->id    = $id;
		$this->key   = $key;
		$this->value = $value;
	}

	/** @return array{id: int, key: string, value: mixed} */
	public function get_data(): array {
		return array(
			'id'    => $this->id,
			'key'   => $this->key,
			'value' => $this->value,
		);
	}
}

/**
 * A product, as far as order items need one.
 */
class WC_Product_Double {
	/** @var string */
	private $sku;

	/** @param string $sku SKU. */
	public function __construct( string $sku ) {
		$this->sku = $sku;
	}

	/** @return string */
	public function get_sku() {
		return $this->sku;
	}
}

/**
 * `line_item` order item.
 */
class WC_Order_Item_Product {
	/** @var array<string, mixed> */
	private $data;

	/** @param array<string, mixed> $data Item fields as in the REST shape (meta_data: [{id,key,value}]). */
	public function __construct( array $data ) {
		$this->data = $data;
	}

	/**
	 * @param string $key     Field.
	 * @param mixed  $default Default.
	 * @return mixed
	 */
	private function field( string $key, $default ) {
		return array_key_exists( $key, $this->data ) ? $this->data[ $key ] : $default;
	}

	public function get_id() { return (int) $this->field( 'id', 0 ); }
	public function get_name() { return (string) $this->field( 'name', '' ); }
	public function get_product_id() { return (int) $this->field( 'product_id', 0 ); }
	public function get_variation_id() { return (int) $this->field( 'variation_id', 0 ); }
	public function get_quantity() { return (int) $this->field( 'quantity', 1 ); }
	public function get_tax_class() { return (string) $this->field( 'tax_class', '' ); }
	public function get_subtotal() { return (string) $this->field( 'subtotal', '0' ); }
	public function get_subtotal_tax() { return (string) $this->field( 'subtotal_tax', '0' ); }
	public function get_total() { return (string) $this->field( 'total', '0' ); }
	public function get_total_tax() { return (string) $this->field( 'total_tax', '0' ); }
	public function get_taxes() { return array( 'total' => array(), 'subtotal' => array() ); }

	/** @return WC_Product_Double|false */
	public function get_product() {
		return isset( $this->data['sku'] ) ? new WC_Product_Double( (string) $this->data['sku'] ) : false;
	}

	/** @return WC_Meta_Data[] */
	public function get_meta_data() {
		$meta = array();
		foreach ( (array) $this->field( 'meta_data', array() ) as $i => $entry ) {
			$meta[] = new WC_Meta_Data( isset( $entry['id'] ) ? (int) $entry['id'] : $i + 1, (string) $entry['key'], $entry['value'] );
		}
		return $meta;
	}
}

/**
 * An order. Getters mirror WC_Order / WC_Abstract_Order; data is the stored array.
 */
class WC_Order {
	public const OPTION = 'synchub_test_orders';

	/** @var array<string, mixed> */
	private $data;

	/** @var array<int, array{id: int, key: string, value: mixed}> Pending meta changes. */
	private $meta;

	/** @param array<string, mixed> $data Stored order data. */
	public function __construct( array $data ) {
		$this->data = $data;
		$this->meta = isset( $data['meta_data'] ) ? (array) $data['meta_data'] : array();
	}

	/**
	 * Store a new order and return it (test helper, not WooCommerce API).
	 *
	 * @param array<string, mixed> $data Order fields in the REST shape; `id` is assigned.
	 */
	public static function create_for_test( array $data ): WC_Order {
		$orders     = get_option( self::OPTION, array() );
		$orders     = is_array( $orders ) ? $orders : array();
		$data['id'] = $orders ? max( array_keys( $orders ) ) + 1 : 1001;
		$orders[ $data['id'] ] = $data;
		update_option( self::OPTION, $orders, false );
		return new self( $data );
	}

	/**
	 * @param string $key     Field.
	 * @param mixed  $default Default.
	 * @return mixed
	 */
	private function field( string $key, $default = '' ) {
		return array_key_exists( $key, $this->data ) ? $this->data[ $key ] : $default;
	}

	/**
	 * @param string $type    billing|shipping.
	 * @param string $key     Field.
	 */
	private function address( string $type, string $key ): string {
		return isset( $this->data[ $type ][ $key ] ) ? (string) $this->data[ $type ][ $key ] : '';
	}

	/** @param string $key Field. */
	private function date( string $key ): ?WC_DateTime {
		$value = $this->field( $key, null );
		return $value ? new WC_DateTime( $value, new DateTimeZone( 'UTC' ) ) : null;
	}

	public function get_id() { return (int) $this->field( 'id', 0 ); }
	public function get_parent_id() { return (int) $this->field( 'parent_id', 0 ); }
	public function get_order_number() { return (string) $this->field( 'number', (string) $this->get_id() ); }
	public function get_order_key() { return (string) $this->field( 'order_key', 'wc_order_test' ); }
	public function get_created_via() { return (string) $this->field( 'created_via', 'checkout' ); }
	public function get_version() { return (string) $this->field( 'version', '9.0.0' ); }
	public function get_status() { return (string) $this->field( 'status', 'pending' ); }
	public function get_currency() { return (string) $this->field( 'currency', 'USD' ); }
	public function get_prices_include_tax() { return (bool) $this->field( 'prices_include_tax', false ); }
	public function get_discount_total() { return (string) $this->field( 'discount_total', '0' ); }
	public function get_discount_tax() { return (string) $this->field( 'discount_tax', '0' ); }
	public function get_shipping_total() { return (string) $this->field( 'shipping_total', '0' ); }
	public function get_shipping_tax() { return (string) $this->field( 'shipping_tax', '0' ); }
	public function get_cart_tax() { return (string) $this->field( 'cart_tax', '0' ); }
	public function get_total() { return (string) $this->field( 'total', '0' ); }
	public function get_total_tax() { return (string) $this->field( 'total_tax', '0' ); }
	public function get_customer_id() { return (int) $this->field( 'customer_id', 0 ); }
	public function get_customer_ip_address() { return (string) $this->field( 'customer_ip_address' ); }
	public function get_customer_user_agent() { return (string) $this->field( 'customer_user_agent' ); }
	public function get_customer_note() { return (string) $this->field( 'customer_note' ); }
	public function get_payment_method() { return (string) $this->field( 'payment_method' ); }
	public function get_payment_method_title() { return (string) $this->field( 'payment_method_title' ); }
	public function get_transaction_id() { return (string) $this->field( 'transaction_id' ); }
	public function get_cart_hash() { return (string) $this->field( 'cart_hash' ); }
	public function get_date_created() { return $this->date( 'date_created_gmt' ); }
	public function get_date_modified() { return $this->date( 'date_modified_gmt' ); }
	public function get_date_completed() { return $this->date( 'date_completed_gmt' ); }
	public function get_date_paid() { return $this->date( 'date_paid_gmt' ); }
	public function get_billing_first_name() { return $this->address( 'billing', 'first_name' ); }
	public function get_billing_last_name() { return $this->address( 'billing', 'last_name' ); }
	public function get_billing_company() { return $this->address( 'billing', 'company' ); }
	public function get_billing_address_1() { return $this->address( 'billing', 'address_1' ); }
	public function get_billing_address_2() { return $this->address( 'billing', 'address_2' ); }
	public function get_billing_city() { return $this->address( 'billing', 'city' ); }
	public function get_billing_state() { return $this->address( 'billing', 'state' ); }
	public function get_billing_postcode() { return $this->address( 'billing', 'postcode' ); }
	public function get_billing_country() { return $this->address( 'billing', 'country' ); }
	public function get_billing_email() { return $this->address( 'billing', 'email' ); }
	public function get_billing_phone() { return $this->address( 'billing', 'phone' ); }
	public function get_shipping_first_name() { return $this->address( 'shipping', 'first_name' ); }
	public function get_shipping_last_name() { return $this->address( 'shipping', 'last_name' ); }
	public function get_shipping_company() { return $this->address( 'shipping', 'company' ); }
	public function get_shipping_address_1() { return $this->address( 'shipping', 'address_1' ); }
	public function get_shipping_address_2() { return $this->address( 'shipping', 'address_2' ); }
	public function get_shipping_city() { return $this->address( 'shipping', 'city' ); }
	public function get_shipping_state() { return $this->address( 'shipping', 'state' ); }
	public function get_shipping_postcode() { return $this->address( 'shipping', 'postcode' ); }
	public function get_shipping_country() { return $this->address( 'shipping', 'country' ); }
	public function get_shipping_phone() { return $this->address( 'shipping', 'phone' ); }

	/** WooCommerce's default paid statuses. */
	public function is_paid() {
		return in_array( $this->get_status(), array( 'processing', 'completed' ), true );
	}

	/**
	 * Set the status in memory (WC_Order::set_status without the transition hooks).
	 *
	 * @param string $status Unprefixed status.
	 */
	public function set_status( $status ) {
		$this->data['status'] = (string) $status;
	}

	/**
	 * @param string|string[] $types Item types.
	 * @return WC_Order_Item_Product[]
	 */
	public function get_items( $types = 'line_item' ) {
		if ( ! in_array( 'line_item', (array) $types, true ) ) {
			return array();
		}
		$items = array();
		foreach ( (array) $this->field( 'line_items', array() ) as $item ) {
			$items[ (int) $item['id'] ] = new WC_Order_Item_Product( $item );
		}
		return $items;
	}

	/** @return WC_Meta_Data[] */
	public function get_meta_data() {
		$meta = array();
		foreach ( $this->meta as $entry ) {
			$meta[] = new WC_Meta_Data( (int) $entry['id'], (string) $entry['key'], $entry['value'] );
		}
		return $meta;
	}

	/**
	 * @param string $key    Meta key.
	 * @param bool   $single Return the first value only.
	 * @return mixed
	 */
	public function get_meta( $key = '', $single = true ) {
		$values = array();
		foreach ( $this->meta as $entry ) {
			if ( $entry['key'] === $key ) {
				$values[] = $entry['value'];
			}
		}
		if ( $single ) {
			return $values ? $values[0] : '';
		}
		return $values;
	}

	/**
	 * @param string $key   Meta key.
	 * @param mixed  $value Meta value.
	 */
	public function update_meta_data( $key, $value ) {
		foreach ( $this->meta as $i => $entry ) {
			if ( $entry['key'] === $key ) {
				$this->meta[ $i ]['value'] = $value;
				return;
			}
		}
		$ids          = array_column( $this->meta, 'id' );
		$this->meta[] = array(
			'id'    => $ids ? max( $ids ) + 1 : 1,
			'key'   => (string) $key,
			'value' => $value,
		);
	}

	/** Persist meta (WC_Data::save_meta_data). */
	public function save_meta_data() {
		$this->data['meta_data'] = $this->meta;
		$this->persist();
	}

	/** Persist everything (WC_Data::save, without hooks). */
	public function save() {
		$this->data['meta_data'] = $this->meta;
		$this->persist();
		return $this->get_id();
	}

	/** Write the stored copy, keeping meta other code saved meanwhile. */
	private function persist(): void {
		$orders = get_option( self::OPTION, array() );
		$orders = is_array( $orders ) ? $orders : array();
		$orders[ $this->get_id() ] = $this->data;
		update_option( self::OPTION, $orders, false );
	}
}

/**
 * `wc_get_order()`: the stored order, or false.
 *
 * @param mixed $order_id Order id.
 * @return WC_Order|false
 */
function wc_get_order( $order_id = false ) {
	wp_cache_delete( WC_Order::OPTION, 'options' );
	$orders = get_option( WC_Order::OPTION, array() );
	$id     = (int) $order_id;
	return is_array( $orders ) && isset( $orders[ $id ] ) ? new WC_Order( $orders[ $id ] ) : false;
}
