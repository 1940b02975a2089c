<?php
/**
 * PHP 7.4 syntax guard. Only PHP 8 is installed here, so `php -l` alone would accept PHP 8-only
 * syntax; this scans tokens for the constructs PHP 7.4 cannot parse and reports file:line.
 *
 *   php scripts/wordpress/php74-check.php <dir-or-file>…
 *
 * Detected: match, enum, readonly, nullsafe `?->`, constructor promotion, union / mixed / never /
 * static / false / null types in signatures, named arguments, catch without variable,
 * first-class callables `f(...)`, `$object::class`, trailing comma in parameter lists.
 *
 * @package SyncHub
 */

declare(strict_types=1);

$paths = array_slice( $argv, 1 );
if ( array() === $paths ) {
	fwrite( STDERR, "usage: php php74-check.php <dir-or-file>…\n" );
	exit( 2 );
}

$files = array();
foreach ( $paths as $path ) {
	if ( is_file( $path ) ) {
		$files[] = $path;
		continue;
	}
	$iterator = new RecursiveIteratorIterator( new RecursiveDirectoryIterator( $path, FilesystemIterator::SKIP_DOTS ) );
	foreach ( $iterator as $file ) {
		if ( '.php' === substr( (string) $file, -4 ) && false === strpos( (string) $file, '/build/' ) ) {
			$files[] = (string) $file;
		}
	}
}

$problems = array();
foreach ( $files as $file ) {
	foreach ( synchub_php74_problems( (string) file_get_contents( $file ) ) as $problem ) {
		$problems[] = "$file:{$problem[0]}: {$problem[1]}";
	}
}

if ( array() !== $problems ) {
	fwrite( STDERR, "PHP 7.4 incompatible syntax:\n  " . implode( "\n  ", $problems ) . "\n" );
	exit( 1 );
}
echo 'php 7.4 syntax: ' . count( $files ) . " files checked\n";
exit( 0 );

/**
 * Problems in one file's source.
 *
 * @param string $source PHP source.
 * @return array<int, array{0: int, 1: string}>
 */
function synchub_php74_problems( string $source ): array {
	$tokens = array_values(
		array_filter(
			token_get_all( $source ),
			static function ( $token ): bool {
				return ! is_array( $token ) || ! in_array( $token[0], array( T_WHITESPACE, T_COMMENT, T_DOC_COMMENT ), true );
			}
		)
	);
	$text = static function ( $token ): string {
		return is_array( $token ) ? $token[1] : $token;
	};
	$line = static function ( array $tokens, int $i ): int {
		for ( $j = $i; $j >= 0; $j-- ) {
			if ( is_array( $tokens[ $j ] ) ) {
				return $tokens[ $j ][2];
			}
		}
		return 0;
	};
	$is = static function ( $token, $kind ): bool {
		return is_array( $token ) ? $token[0] === $kind : $token === $kind;
	};

	$found   = array();
	$count   = count( $tokens );
	$version = array(
		'T_MATCH'                     => 'match expression',
		'T_ENUM'                      => 'enum',
		'T_READONLY'                  => 'readonly',
		'T_NULLSAFE_OBJECT_OPERATOR'  => 'nullsafe operator ?->',
	);
	for ( $i = 0; $i < $count; $i++ ) {
		$token = $tokens[ $i ];
		foreach ( $version as $name => $label ) {
			if ( defined( $name ) && $is( $token, constant( $name ) ) ) {
				$found[] = array( $line( $tokens, $i ), $label );
			}
		}
		$prev = $i > 0 ? $tokens[ $i - 1 ] : null;
		$next = $i + 1 < $count ? $tokens[ $i + 1 ] : null;

		// Named argument: `( name:` or `, name:` (a ternary has `?` before, a case label `case`).
		if ( $is( $token, T_STRING ) && ':' === $next && ( '(' === $prev || ',' === $prev ) ) {
			$found[] = array( $line( $tokens, $i ), 'named argument ' . $token[1] . ':' );
		}
		// First-class callable `f(...)`.
		if ( $is( $token, T_ELLIPSIS ) && '(' === $prev && ')' === $next ) {
			$found[] = array( $line( $tokens, $i ), 'first-class callable syntax' );
		}
		// `$object::class`.
		if ( $is( $token, T_DOUBLE_COLON ) && $is( $prev, T_VARIABLE ) && $is( $next, T_CLASS ) ) {
			$found[] = array( $line( $tokens, $i ), '$object::class' );
		}
		// catch ( Type ) without a variable.
		if ( $is( $token, T_CATCH ) ) {
			$depth = 0;
			$has_variable = false;
			for ( $j = $i + 1; $j < $count; $j++ ) {
				$depth += '(' === $tokens[ $j ] ? 1 : ( ')' === $tokens[ $j ] ? -1 : 0 );
				$has_variable = $has_variable || $is( $tokens[ $j ], T_VARIABLE );
				if ( 0 === $depth && ')' === $tokens[ $j ] ) {
					break;
				}
			}
			if ( ! $has_variable ) {
				$found[] = array( $line( $tokens, $i ), 'catch without variable' );
			}
		}
		// Function signatures: parameter list and return type.
		if ( $is( $token, T_FUNCTION ) || $is( $token, T_FN ) ) {
			$open = $i + 1;
			while ( $open < $count && '(' !== $tokens[ $open ] ) {
				++$open;
			}
			$depth = 0;
			for ( $j = $open; $j < $count; $j++ ) {
				$depth += '(' === $tokens[ $j ] ? 1 : ( ')' === $tokens[ $j ] ? -1 : 0 );
				if ( 1 === $depth ) {
					if ( $is( $tokens[ $j ], T_PUBLIC ) || $is( $tokens[ $j ], T_PROTECTED ) || $is( $tokens[ $j ], T_PRIVATE ) ) {
						$found[] = array( $line( $tokens, $j ), 'constructor property promotion' );
					}
					if ( '|' === $tokens[ $j ] || ( defined( 'T_AMPERSAND_NOT_FOLLOWED_BY_VAR_OR_VARARG' ) && $is( $tokens[ $j ], T_AMPERSAND_NOT_FOLLOWED_BY_VAR_OR_VARARG ) ) ) {
						$found[] = array( $line( $tokens, $j ), 'union or intersection type' );
					}
					if ( $is( $tokens[ $j ], T_STRING ) && in_array( strtolower( $tokens[ $j ][1] ), array( 'mixed', 'never' ), true ) && $is( $tokens[ $j + 1 ], T_VARIABLE ) ) {
						$found[] = array( $line( $tokens, $j ), $tokens[ $j ][1] . ' type' );
					}
				}
				if ( 0 === $depth && ')' === $tokens[ $j ] ) {
					if ( ',' === $tokens[ $j - 1 ] ) {
						$found[] = array( $line( $tokens, $j ), 'trailing comma in parameter list' );
					}
					break;
				}
			}
			// Return type after `):` up to `{`, `;` or `=>`.
			if ( isset( $tokens[ $j + 1 ] ) && ':' === $tokens[ $j + 1 ] ) {
				for ( $k = $j + 2; $k < $count && ! in_array( $text( $tokens[ $k ] ), array( '{', ';', '=>' ), true ); $k++ ) {
					$type = strtolower( $text( $tokens[ $k ] ) );
					if ( '|' === $type || in_array( $type, array( 'mixed', 'never', 'static', 'false', 'null' ), true ) ) {
						$found[] = array( $line( $tokens, $k ), 'return type ' . $type );
					}
				}
			}
		}
	}
	return $found;
}
