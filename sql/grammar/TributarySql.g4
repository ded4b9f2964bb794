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
    | query
    ;

// ---- DDL ----------------------------------------------------------------------------

createTable
    : CREATE TABLE (IF NOT EXISTS)? qualifiedName LPAREN tableElement (COMMA tableElement)* RPAREN
    ;

tableElement
    : columnDefinition
    | tableConstraint
    ;

columnDefinition: identifier typeName columnConstraint*;

columnConstraint
    : (CONSTRAINT identifier)? NOT NULL_     # notNullConstraint
    | (CONSTRAINT identifier)? NULL_         # nullConstraint
    | (CONSTRAINT identifier)? PRIMARY KEY   # primaryKeyConstraint
    ;

tableConstraint
    : (CONSTRAINT identifier)? PRIMARY KEY LPAREN identifier (COMMA identifier)* RPAREN
    ;

typeName
    : DOUBLE PRECISION
    | CHARACTER VARYING typeArguments?
    | identifier typeArguments? ((WITHOUT | WITH) TIME ZONE)?
    ;

typeArguments: LPAREN INTEGER_LITERAL (COMMA INTEGER_LITERAL)? RPAREN;

createMaterializedView
    : CREATE MATERIALIZED VIEW (IF NOT EXISTS)? qualifiedName
      (LPAREN identifier (COMMA identifier)* RPAREN)? AS query
    ;

drop
    : DROP (TABLE | MATERIALIZED VIEW | VIEW) (IF EXISTS)? qualifiedName (COMMA qualifiedName)*
      (CASCADE | RESTRICT)?
    ;

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

// ---- Queries ------------------------------------------------------------------------

query
    : select (ORDER BY orderItem (COMMA orderItem)*)? (LIMIT expr)? (OFFSET expr)?
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
    | expr (AS? identifier)?            # selectExpr
    ;

fromItem: tableRef joinClause*;

tableRef
    : qualifiedName (AS? identifier)?               # namedTable
    | LPAREN query RPAREN AS? identifier            # subqueryTable
    ;

joinClause
    : (INNER)? JOIN tableRef ON expr                # innerJoin
    | CROSS JOIN tableRef                           # crossJoin
    | (LEFT | RIGHT | FULL) OUTER? JOIN tableRef ON expr  # outerJoin
    ;

orderItem: expr (ASC | DESC)? (NULLS (FIRST | LAST))?;

// ---- Expressions (PostgreSQL precedence, tightest first) ------------------------------

expr
    : primary                                                  # primaryExpr
    | expr CAST_OP typeName                                    # castExpr
    | op=(MINUS | PLUS) expr                                   # unaryExpr
    | expr op=(STAR | SLASH | PERCENT) expr                    # mulExpr
    | expr op=(PLUS | MINUS) expr                              # addExpr
    | expr CONCAT expr                                         # concatExpr
    | expr NOT? IN LPAREN expr (COMMA expr)* RPAREN            # inListExpr
    | expr NOT? BETWEEN expr AND expr                          # betweenExpr
    | expr NOT? LIKE expr                                      # likeExpr
    | expr op=(EQ | NEQ | LT | LTE | GT | GTE) expr            # compareExpr
    | expr IS NOT? NULL_                                       # isNullExpr
    | NOT expr                                                 # notExpr
    | expr AND expr                                            # andExpr
    | expr OR expr                                             # orExpr
    ;

primary
    : literal                                                  # literalPrimary
    | identifier STRING_LITERAL                                # typedLiteralPrimary
    | CAST LPAREN expr AS typeName RPAREN                      # castPrimary
    | CASE expr? (WHEN expr THEN expr)+ (ELSE expr)? END       # casePrimary
    | identifier LPAREN (STAR | DISTINCT? expr (COMMA expr)*)? RPAREN  # functionCall
    | identifier (DOT identifier)?                             # columnRef
    | LPAREN query RPAREN                                      # subqueryPrimary
    | LPAREN expr RPAREN                                       # parenPrimary
    ;

literal
    : INTEGER_LITERAL
    | DECIMAL_LITERAL
    | STRING_LITERAL
    | TRUE
    | FALSE
    | NULL_
    ;

qualifiedName: identifier (DOT identifier)?;

identifier
    : IDENTIFIER
    | QUOTED_IDENTIFIER
    | nonReserved
    ;

nonReserved
    : KEY | FIRST | LAST | NULLS | CASCADE | RESTRICT | IF | VIEW | MATERIALIZED | PRECISION
    | VARYING | WITHOUT | TIME | ZONE | OFFSET | EXPLAIN | DOUBLE | CHARACTER
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
EQ: '=';
NEQ: '<>' | '!=';
LTE: '<=';
GTE: '>=';
LT: '<';
GT: '>';

INTEGER_LITERAL: DIGIT+;
DECIMAL_LITERAL
    : DIGIT+ '.' DIGIT* EXPONENT?
    | '.' DIGIT+ EXPONENT?
    | DIGIT+ EXPONENT
    ;
STRING_LITERAL: '\'' ( ~'\'' | '\'\'' )* '\'';
IDENTIFIER: [a-zA-Z_\u0080-\uFFFF] [a-zA-Z_0-9$\u0080-\uFFFF]*;
QUOTED_IDENTIFIER: '"' ( ~'"' | '""' )* '"';

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
