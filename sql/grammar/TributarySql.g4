// Tributary's SQL grammar: PostgreSQL syntax. Keywords are case-insensitive. Words that
// PostgreSQL treats as non-reserved are tokens here too but are accepted wherever an
// identifier is (rule `identifier`), so columns named "date", "name" or "key" work.
grammar TributarySql;

script: statement? (SEMI statement?)* EOF;

statement
    : createTable
    | createMaterializedView
    | drop
    | insert
    | update
    | delete_
    | explain
    | verify
    | createRoutineLoad
    | routineLoadControl
    | setVariable
    | showVariable
    | transactionControl
    | discard
    | roleStatement
    | privilegeStatement
    | copy
    | query
    ;

// ---- DDL ----------------------------------------------------------------------------

createTable
    : CREATE TABLE (IF NOT EXISTS)? qualifiedName LPAREN tableElement (COMMA tableElement)* RPAREN
      (WITH LPAREN option (COMMA option)* RPAREN)?
      (FORMAT formatName=identifier ENCODE encodeName=identifier)?
    ;

tableElement
    : columnDefinition
    | tableConstraint
    | watermark
    ;

// Flink: a column filled from the message's metadata, METADATA [FROM 'key'] [VIRTUAL].
columnDefinition: identifier typeName (METADATA (FROM STRING_LITERAL)? VIRTUAL?)? columnConstraint*;

// Flink's WATERMARK FOR col AS expr: accepted; views here are exact, not watermark-driven.
watermark: WATERMARK FOR identifier AS expr;

// WITH (connector='kafka', properties.bootstrap.server='...') and
// WITH ('connector'='kafka', 'properties.bootstrap.servers'='...').
option: optionKey EQ optionValue;
optionKey: STRING_LITERAL | identifier (DOT identifier)*;
optionValue: STRING_LITERAL | INTEGER_LITERAL | DECIMAL_LITERAL | TRUE | FALSE | identifier;

columnConstraint
    : (CONSTRAINT identifier)? NOT NULL_     # notNullConstraint
    | (CONSTRAINT identifier)? NULL_         # nullConstraint
    | (CONSTRAINT identifier)? PRIMARY KEY   # primaryKeyConstraint
    ;

tableConstraint
    : (CONSTRAINT identifier)? PRIMARY KEY LPAREN identifier (COMMA identifier)* RPAREN
      (NOT ENFORCED)?
    ;

typeName
    : DOUBLE PRECISION
    | CHARACTER VARYING typeArguments?
    | (schema=identifier DOT)? name=identifier typeArguments? ((WITHOUT | WITH) TIME ZONE)? (LBRACKET RBRACKET)?
    ;

typeArguments: LPAREN INTEGER_LITERAL (COMMA INTEGER_LITERAL)? RPAREN;

createMaterializedView
    : CREATE MATERIALIZED? VIEW (IF NOT EXISTS)? qualifiedName
      (LPAREN identifier (COMMA identifier)* RPAREN)? AS query
    ;

drop
    : DROP (TABLE | MATERIALIZED VIEW | VIEW) (IF EXISTS)? qualifiedName (COMMA qualifiedName)*
      (CASCADE | RESTRICT)?
    ;

// ---- Roles and privileges -----------------------------------------------------------

roleStatement
    : CREATE (ROLE | USER) identifier WITH? roleOption*               # createRole
    | ALTER (ROLE | USER) identifier WITH? roleOption*                # alterRole
    | ALTER (ROLE | USER) identifier RENAME TO identifier             # renameRole
    | DROP (ROLE | USER) (IF EXISTS)? identifier (COMMA identifier)*  # dropRole
    ;

roleOption
    : LOGIN
    | NOLOGIN
    | SUPERUSER
    | NOSUPERUSER
    | PASSWORD (STRING_LITERAL | NULL_)
    ;

// GRANT / REVOKE SELECT ON [TABLE] t, ... | ALL TABLES IN SCHEMA s TO / FROM role | PUBLIC.
privilegeStatement
    : GRANT SELECT ON privilegeTarget TO grantee (COMMA grantee)*      # grant
    | REVOKE SELECT ON privilegeTarget FROM grantee (COMMA grantee)*   # revoke
    ;

privilegeTarget
    : ALL TABLES IN SCHEMA identifier
    | TABLE? qualifiedName (COMMA qualifiedName)*
    ;

grantee: PUBLIC | identifier;

// ---- DML ----------------------------------------------------------------------------

insert
    : INSERT INTO qualifiedName (AS? identifier)? (LPAREN identifier (COMMA identifier)* RPAREN)?
      (valuesClause | query)
    ;

valuesClause: VALUES valuesRow (COMMA valuesRow)*;
valuesRow: LPAREN expr (COMMA expr)* RPAREN;

update
    : UPDATE qualifiedName (AS? identifier)? SET assignment (COMMA assignment)* (WHERE expr)?
    ;

assignment: identifier EQ expr;

delete_: DELETE FROM qualifiedName (AS? identifier)? (WHERE expr)?;

explain: EXPLAIN (query | createMaterializedView | MATERIALIZED VIEW qualifiedName);

verify: VERIFY MATERIALIZED VIEW qualifiedName;

// StarRocks: CREATE ROUTINE LOAD db.job ON tbl COLUMNS (...) PROPERTIES (...) FROM KAFKA (...).
// Its property lists use double-quoted strings, which lex as quoted identifiers.
createRoutineLoad
    : CREATE ROUTINE LOAD job=qualifiedName ON table=qualifiedName
      (COLUMNS LPAREN identifier (COMMA identifier)* RPAREN)?
      (PROPERTIES propertyList)?
      FROM KAFKA propertyList
    ;

propertyList: LPAREN property (COMMA property)* RPAREN;
property: key=QUOTED_IDENTIFIER EQ value=QUOTED_IDENTIFIER;

routineLoadControl
    : SHOW ROUTINE LOAD (FOR qualifiedName)?                     # showRoutineLoad
    | action=(PAUSE | RESUME | STOP) ROUTINE LOAD FOR qualifiedName  # controlRoutineLoad
    ;

// COPY t [(cols)] FROM STDIN | TO STDOUT, COPY (query) TO STDOUT, with PostgreSQL's option
// list WITH (FORMAT csv, HEADER, ...) or the old-style words (WITH CSV HEADER DELIMITER ','),
// which the AST builder reads from the flat token sequence copyLegacyWord*.
copy
    : COPY (qualifiedName (LPAREN identifier (COMMA identifier)* RPAREN)? | LPAREN query RPAREN)
      direction=(FROM | TO) (STRING_LITERAL | identifier STRING_LITERAL?)
      (WITH? LPAREN copyOption (COMMA copyOption)* RPAREN | WITH? copyLegacyWord*)
    ;

copyOption
    : copyWord (copyWord | STRING_LITERAL | INTEGER_LITERAL | STAR
                | LPAREN identifier (COMMA identifier)* RPAREN)?
    ;
copyWord: identifier | NULL_ | TRUE | FALSE | ON | DEFAULT;
copyLegacyWord: copyWord | NOT | AS | STRING_LITERAL | STAR | COMMA;

// ---- Session settings ---------------------------------------------------------------

// SET [SESSION | LOCAL] name {TO | =} value [, ...], SET TIME ZONE value, RESET name | ALL.
setVariable
    : SET (SESSION | LOCAL)? settingName (TO | EQ) settingValue (COMMA settingValue)*  # setSetting
    | SET (SESSION | LOCAL)? TIME ZONE settingValue                                   # setTimeZone
    | SET (SESSION | LOCAL)? ROLE settingValue                                        # setRole
    | RESET (settingName | ALL)                                                       # resetSetting
    ;

// SHOW name | SHOW ALL | SHOW TIME ZONE | SHOW TRANSACTION ISOLATION LEVEL (SHOW ROUTINE
// LOAD is routineLoadControl).
showVariable: SHOW (TRANSACTION ISOLATION LEVEL | settingName | ALL | TIME ZONE);

settingName: identifier (DOT identifier)*;
settingValue
    : STRING_LITERAL
    | MINUS? (INTEGER_LITERAL | DECIMAL_LITERAL)
    | DEFAULT
    | ON | TRUE | FALSE | LOCAL
    | identifier
    ;

// ---- Queries ------------------------------------------------------------------------

query
    : withClause? queryBody (ORDER BY orderItem (COMMA orderItem)*)? (LIMIT expr)? (OFFSET expr)?
    ;

withClause: WITH commonTableExpression (COMMA commonTableExpression)*;

commonTableExpression
    : identifier (LPAREN identifier (COMMA identifier)* RPAREN)? AS LPAREN query RPAREN
    ;

// INTERSECT binds tighter than UNION and EXCEPT, which associate to the left.
queryBody
    : queryPrimary                                                        # primaryQuery
    | left=queryBody INTERSECT quantifier=(ALL | DISTINCT)? right=queryBody      # intersectQuery
    | left=queryBody op=(UNION | EXCEPT) quantifier=(ALL | DISTINCT)? right=queryBody  # unionQuery
    ;

queryPrimary
    : select
    | LPAREN query RPAREN
    ;

select
    : SELECT DISTINCT? selectItem (COMMA selectItem)*
      (FROM fromItem (COMMA fromItem)*)?
      (WHERE where=expr)?
      (GROUP BY expr (COMMA expr)*)?
      (HAVING having=expr)?
    ;

selectItem
    : STAR                              # selectAll
    | identifier DOT STAR               # selectAllOf
    | expr (AS colLabel | identifier)?  # selectExpr
    ;

fromItem: tableRef joinClause*;

tableRef
    : (schema=identifier DOT)? name=identifier LPAREN (expr (COMMA expr)*)? RPAREN
      (AS? alias=identifier columnAliases?)?        # tableFunction
    | qualifiedName (AS? identifier)?               # namedTable
    | LPAREN query RPAREN AS? identifier columnAliases?  # subqueryTable
    ;

// The column names of a FROM item: generate_series(1, 3) AS s(n).
columnAliases: LPAREN identifier (COMMA identifier)* RPAREN;

joinClause
    : joinType? JOIN tableRef joinCondition         # qualifiedJoin
    | CROSS JOIN tableRef                           # crossJoin
    | NATURAL joinType? JOIN tableRef               # naturalJoin
    ;

joinType: INNER | (LEFT | RIGHT | FULL) OUTER?;

joinCondition
    : ON expr
    | USING LPAREN identifier (COMMA identifier)* RPAREN
    ;

orderItem: expr (ASC | DESC)? (NULLS (FIRST | LAST))?;

// ---- Transactions ---------------------------------------------------------------------

transactionControl
    : (BEGIN_ (WORK | TRANSACTION)? | START TRANSACTION) (transactionMode (COMMA? transactionMode)*)?
    | (COMMIT | END) (WORK | TRANSACTION)? (AND NO? CHAIN)?
    | (ROLLBACK | ABORT) (WORK | TRANSACTION)? (AND NO? CHAIN)?
    ;

transactionMode
    : ISOLATION LEVEL (SERIALIZABLE | REPEATABLE READ | READ COMMITTED | READ UNCOMMITTED)
    | READ ONLY
    | READ WRITE
    | NOT? DEFERRABLE
    ;

// DISCARD ALL (connection poolers send it between clients).
discard: DISCARD (ALL | identifier);

// ---- Expressions (PostgreSQL precedence, tightest first) ------------------------------

expr
    : primary                                                  # primaryExpr
    | expr LBRACKET expr RBRACKET                              # subscriptExpr
    | expr CAST_OP typeName                                    # castExpr
    | expr COLLATE collationName                               # collateExpr
    | op=(MINUS | PLUS) expr                                   # unaryExpr
    | expr op=(STAR | SLASH | PERCENT) expr                    # mulExpr
    | expr op=(PLUS | MINUS) expr                              # addExpr
    | expr CONCAT expr                                         # concatExpr
    | expr op=(AMPERSAND | BAR | HASH | SHIFT_LEFT | SHIFT_RIGHT) expr  # bitwiseExpr
    | expr regexOperator expr                                  # regexExpr
    | expr NOT? IN LPAREN query RPAREN                         # inSubqueryExpr
    | expr NOT? IN LPAREN expr (COMMA expr)* RPAREN            # inListExpr
    | expr NOT? BETWEEN bexpr AND bexpr                        # betweenExpr
    | expr NOT? op=(LIKE | ILIKE) bexpr (ESCAPE bexpr)?        # likeExpr
    | expr op=(EQ | NEQ | LT | LTE | GT | GTE) quantifier=(ANY | SOME | ALL)
      LPAREN (query | expr) RPAREN                             # quantifiedCompareExpr
    | expr op=(EQ | NEQ | LT | LTE | GT | GTE) expr            # compareExpr
    | expr IS NOT? NULL_                                       # isNullExpr
    | expr IS NOT? DISTINCT FROM expr                          # isDistinctFromExpr
    | NOT expr                                                 # notExpr
    | expr AND expr                                            # andExpr
    | expr OR expr                                             # orExpr
    ;

// PostgreSQL's b_expr: arithmetic without AND/OR/NOT/comparisons, for BETWEEN bounds
// and LIKE patterns, so "x BETWEEN a AND b AND c" is "(x BETWEEN a AND b) AND c".
bexpr
    : primary                                                  # primaryBexpr
    | bexpr CAST_OP typeName                                   # castBexpr
    | op=(MINUS | PLUS) bexpr                                  # unaryBexpr
    | bexpr op=(STAR | SLASH | PERCENT) bexpr                  # mulBexpr
    | bexpr op=(PLUS | MINUS) bexpr                            # addBexpr
    | bexpr CONCAT bexpr                                       # concatBexpr
    ;
// The regular-expression match operators, bare or spelled OPERATOR(pg_catalog.~) as psql
// writes them.
regexOperator
    : regexSymbol
    | OPERATOR LPAREN (identifier DOT)? regexSymbol RPAREN
    ;
regexSymbol: TILDE | TILDE_STAR | NOT_TILDE | NOT_TILDE_STAR;
// COLLATE "C" / COLLATE pg_catalog.default: accepted; comparisons use the C collation.
collationName: (identifier DOT)? (identifier | DEFAULT);

primary
    : literal                                                  # literalPrimary
    | PARAM                                                    # parameterPrimary
    | INTERVAL STRING_LITERAL intervalUnit?                    # intervalPrimary
    | identifier STRING_LITERAL                                # typedLiteralPrimary
    | CAST LPAREN expr AS typeName RPAREN                      # castPrimary
    | CASE expr? (WHEN expr THEN expr)+ (ELSE expr)? END       # casePrimary
    | EXISTS LPAREN query RPAREN                               # existsPrimary
    | EXTRACT LPAREN identifier FROM expr RPAREN               # extractPrimary
    | SUBSTRING LPAREN expr (FROM expr)? (FOR expr)? RPAREN    # substringPrimary
    | POSITION LPAREN expr IN expr RPAREN                      # positionPrimary
    | TRIM LPAREN side=(BOTH | LEADING | TRAILING)? chars=expr? FROM source=expr RPAREN  # trimPrimary
    | (schema=identifier DOT)? (name=identifier | LEFT | RIGHT) LPAREN (STAR | DISTINCT? expr (COMMA expr)* (ORDER BY orderItem (COMMA orderItem)*)?)? RPAREN
      withinGroup? overClause?                                 # functionCall
    | identifier (DOT identifier (DOT identifier)?)?           # columnRef
    | ARRAY LBRACKET (expr (COMMA expr)*)? RBRACKET           # arrayPrimary
    | ARRAY LPAREN query RPAREN                                # arraySubqueryPrimary
    | LPAREN expr RPAREN DOT identifier                        # fieldSelectPrimary
    | LPAREN query RPAREN                                      # subqueryPrimary
    | LPAREN expr RPAREN                                       # parenPrimary
    ;

// percentile_cont(0.5) WITHIN GROUP (ORDER BY x): an ordered-set aggregate's input order.
withinGroup: WITHIN GROUP LPAREN ORDER BY orderItem (COMMA orderItem)* RPAREN;

overClause
    : OVER LPAREN (PARTITION BY expr (COMMA expr)*)? (ORDER BY orderItem (COMMA orderItem)*)?
      frameClause? RPAREN
    ;
// ROWS | RANGE | GROUPS [BETWEEN] start [AND end]: which rows an aggregate, first_value,
// last_value or nth_value sees for the current row.
frameClause: unit=(ROWS | RANGE | GROUPS) (BETWEEN frameBound AND frameBound | frameBound);
frameBound
    : UNBOUNDED (PRECEDING | FOLLOWING)
    | CURRENT ROW
    | expr (PRECEDING | FOLLOWING)
    ;

intervalUnit: YEAR | MONTH | DAY | HOUR | MINUTE | SECOND;

literal
    : INTEGER_LITERAL
    | DECIMAL_LITERAL
    | STRING_LITERAL
    | ESCAPE_STRING_LITERAL
    | TRUE
    | FALSE
    | NULL_
    ;

qualifiedName: identifier (DOT identifier)?;

// A column alias after AS may be any key word, as in PostgreSQL (... AS table, AS update).
colLabel: identifier | reservedWord;
reservedWord
    : AND | AS | ASC | BETWEEN | BY | CASE | CAST | CHARACTER | CONSTRAINT | CREATE | CROSS
    | DELETE | DESC | DISTINCT | DROP | ELSE | END | EXISTS | FALSE | FROM | FULL | GROUP
    | HAVING | IN | INNER | INSERT | INTO | IS | JOIN | LEFT | LIKE | LIMIT | NOT | NULL_ | ON
    | OR | ORDER | OUTER | PRIMARY | RIGHT | SELECT | SET | TABLE | THEN | TRUE | UPDATE
    | VALUES | WHEN | WHERE | WITH | EXCEPT | FOR | ILIKE | INTERSECT | NATURAL | UNION
    | USING | ALL | ANY | ARRAY | SOME | DEFAULT
    ;

identifier
    : IDENTIFIER
    | QUOTED_IDENTIFIER
    | nonReserved
    ;

nonReserved
    : KEY | FIRST | LAST | NULLS | CASCADE | RESTRICT | IF | VIEW | MATERIALIZED | PRECISION
    | VARYING | WITHOUT | TIME | ZONE | OFFSET | EXPLAIN | DOUBLE | CHARACTER | VERIFY
    | YEAR | MONTH | DAY | HOUR | MINUTE | SECOND | INTERVAL | PARTITION | POSITION
    | SUBSTRING | TRIM | EXTRACT | LEADING | TRAILING | BOTH | ESCAPE | OVER
    | FORMAT | ENCODE | METADATA | VIRTUAL | WATERMARK | ENFORCED | ROUTINE | LOAD | COLUMNS
    | PROPERTIES | KAFKA | SHOW | PAUSE | RESUME | STOP | SESSION | LOCAL | RESET | TO
    | BEGIN_ | WORK | TRANSACTION | START | COMMIT | ROLLBACK | ABORT | ISOLATION | LEVEL
    | SERIALIZABLE | REPEATABLE | READ | COMMITTED | UNCOMMITTED | WRITE | DEFERRABLE | CHAIN
    | NO | DISCARD | COPY | OPERATOR | COLLATE
    | ROLE | USER | LOGIN | NOLOGIN | SUPERUSER | NOSUPERUSER | PASSWORD | ALTER | RENAME
    | GRANT | REVOKE | PUBLIC | SCHEMA | TABLES | WITHIN
    | ROWS | RANGE | GROUPS | UNBOUNDED | PRECEDING | FOLLOWING | CURRENT | ROW
    ;

// ---- Lexer --------------------------------------------------------------------------

AND: A N D;
AS: A S;
ASC: A S C;
BETWEEN: B E T W E E N;
BY: B Y;
CASCADE: C A S C A D E;
CASE: C A S E;
CAST: C A S T;
CHARACTER: C H A R A C T E R;
CONSTRAINT: C O N S T R A I N T;
CREATE: C R E A T E;
CROSS: C R O S S;
DELETE: D E L E T E;
DESC: D E S C;
DISTINCT: D I S T I N C T;
DOUBLE: D O U B L E;
DROP: D R O P;
ELSE: E L S E;
END: E N D;
EXISTS: E X I S T S;
EXPLAIN: E X P L A I N;
FALSE: F A L S E;
FIRST: F I R S T;
FROM: F R O M;
FULL: F U L L;
GROUP: G R O U P;
HAVING: H A V I N G;
IF: I F;
IN: I N;
INNER: I N N E R;
INSERT: I N S E R T;
INTO: I N T O;
IS: I S;
JOIN: J O I N;
KEY: K E Y;
LAST: L A S T;
LEFT: L E F T;
LIKE: L I K E;
LIMIT: L I M I T;
MATERIALIZED: M A T E R I A L I Z E D;
NOT: N O T;
NULL_: N U L L;
NULLS: N U L L S;
OFFSET: O F F S E T;
ON: O N;
OR: O R;
ORDER: O R D E R;
OUTER: O U T E R;
PRECISION: P R E C I S I O N;
PRIMARY: P R I M A R Y;
RESTRICT: R E S T R I C T;
RIGHT: R I G H T;
SELECT: S E L E C T;
SET: S E T;
TABLE: T A B L E;
THEN: T H E N;
TIME: T I M E;
TRUE: T R U E;
UPDATE: U P D A T E;
VALUES: V A L U E S;
VARYING: V A R Y I N G;
VIEW: V I E W;
WHEN: W H E N;
WHERE: W H E R E;
WITH: W I T H;
WITHOUT: W I T H O U T;
ZONE: Z O N E;
BOTH: B O T H;
DAY: D A Y S?;
ESCAPE: E S C A P E;
EXCEPT: E X C E P T;
EXTRACT: E X T R A C T;
FOR: F O R;
HOUR: H O U R S?;
ILIKE: I L I K E;
INTERSECT: I N T E R S E C T;
INTERVAL: I N T E R V A L;
LEADING: L E A D I N G;
MINUTE: M I N U T E S?;
MONTH: M O N T H S?;
NATURAL: N A T U R A L;
OVER: O V E R;
PARTITION: P A R T I T I O N;
POSITION: P O S I T I O N;
SECOND: S E C O N D S?;
SUBSTRING: S U B S T R I N G;
TRAILING: T R A I L I N G;
TRIM: T R I M;
UNION: U N I O N;
USING: U S I N G;
VERIFY: V E R I F Y;
YEAR: Y E A R S?;
ALL: A L L;
ANY: A N Y;
ARRAY: A R R A Y;
SOME: S O M E;
COLUMNS: C O L U M N S;
ENCODE: E N C O D E;
ENFORCED: E N F O R C E D;
FORMAT: F O R M A T;
KAFKA: K A F K A;
LOAD: L O A D;
METADATA: M E T A D A T A;
PAUSE: P A U S E;
PROPERTIES: P R O P E R T I E S;
RESUME: R E S U M E;
ROUTINE: R O U T I N E;
SHOW: S H O W;
SESSION: S E S S I O N;
LOCAL: L O C A L;
RESET: R E S E T;
TO: T O;
DEFAULT: D E F A U L T;
STOP: S T O P;
VIRTUAL: V I R T U A L;
BEGIN_: B E G I N;
ROLE: R O L E;
USER: U S E R;
LOGIN: L O G I N;
NOLOGIN: N O L O G I N;
SUPERUSER: S U P E R U S E R;
NOSUPERUSER: N O S U P E R U S E R;
PASSWORD: P A S S W O R D;
ALTER: A L T E R;
RENAME: R E N A M E;
GRANT: G R A N T;
REVOKE: R E V O K E;
PUBLIC: P U B L I C;
SCHEMA: S C H E M A;
TABLES: T A B L E S;
WORK: W O R K;
TRANSACTION: T R A N S A C T I O N;
START: S T A R T;
COMMIT: C O M M I T;
ROLLBACK: R O L L B A C K;
ABORT: A B O R T;
ISOLATION: I S O L A T I O N;
LEVEL: L E V E L;
SERIALIZABLE: S E R I A L I Z A B L E;
REPEATABLE: R E P E A T A B L E;
READ: R E A D;
COMMITTED: C O M M I T T E D;
UNCOMMITTED: U N C O M M I T T E D;
ONLY: O N L Y;
WRITE: W R I T E;
DEFERRABLE: D E F E R R A B L E;
CHAIN: C H A I N;
NO: N O;
DISCARD: D I S C A R D;
WATERMARK: W A T E R M A R K;
COPY: C O P Y;
OPERATOR: O P E R A T O R;
COLLATE: C O L L A T E;
WITHIN: W I T H I N;
ROWS: R O W S;
RANGE: R A N G E;
GROUPS: G R O U P S;
UNBOUNDED: U N B O U N D E D;
PRECEDING: P R E C E D I N G;
FOLLOWING: F O L L O W I N G;
CURRENT: C U R R E N T;
ROW: R O W;

SEMI: ';';
COMMA: ',';
DOT: '.';
LPAREN: '(';
RPAREN: ')';
CAST_OP: '::';
STAR: '*';
SLASH: '/';
PERCENT: '%';
PLUS: '+';
MINUS: '-';
CONCAT: '||';
AMPERSAND: '&';
BAR: '|';
HASH: '#';
SHIFT_LEFT: '<<';
SHIFT_RIGHT: '>>';
TILDE_STAR: '~*';
NOT_TILDE_STAR: '!~*';
TILDE: '~';
NOT_TILDE: '!~';
LBRACKET: '[';
RBRACKET: ']';
EQ: '=';
NEQ: '<>' | '!=';
LTE: '<=';
GTE: '>=';
LT: '<';
GT: '>';

// $1, $2 ...: a parameter of a prepared statement (extended query protocol).
PARAM: '$' DIGIT+;
INTEGER_LITERAL: DIGIT+;
DECIMAL_LITERAL
    : DIGIT+ '.' DIGIT* EXPONENT?
    | '.' DIGIT+ EXPONENT?
    | DIGIT+ EXPONENT
    ;
STRING_LITERAL: '\'' ( ~'\'' | '\'\'' )* '\'';
// E'...': backslash escapes (\n, \t, \\, \').
ESCAPE_STRING_LITERAL: [eE] '\'' ( ~['\\] | '\'\'' | '\\' . )* '\'';
IDENTIFIER: [a-zA-Z_\u0080-\uFFFF] [a-zA-Z_0-9$\u0080-\uFFFF]*;
// A backslash escapes a double quote too: StarRocks' property strings ("[\"$.a\"]") use it.
QUOTED_IDENTIFIER: '"' ( ~["\\] | '""' | '\\' . )* '"';

LINE_COMMENT: '--' ~[\r\n]* -> channel(HIDDEN);
BLOCK_COMMENT: '/*' .*? '*/' -> channel(HIDDEN);
WS: [ \t\r\n\f]+ -> channel(HIDDEN);
// Anything else is a syntax error at that character.
UNEXPECTED_CHAR: .;

fragment EXPONENT: [eE] [+-]? DIGIT+;
fragment DIGIT: [0-9];
fragment A: [aA]; fragment B: [bB]; fragment C: [cC]; fragment D: [dD]; fragment E: [eE];
fragment F: [fF]; fragment G: [gG]; fragment H: [hH]; fragment I: [iI]; fragment J: [jJ];
fragment K: [kK]; fragment L: [lL]; fragment M: [mM]; fragment N: [nN]; fragment O: [oO];
fragment P: [pP]; fragment Q: [qQ]; fragment R: [rR]; fragment S: [sS]; fragment T: [tT];
fragment U: [uU]; fragment V: [vV]; fragment W: [wW]; fragment X: [xX]; fragment Y: [yY];
fragment Z: [zZ];
