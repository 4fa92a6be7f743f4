// het: args 25
// A small interpreter: a tokenizer, a recursive-descent parser building an AST, and a
// tree-walking evaluator for a toy language with variables, while, if and print.
// The argument sets the variable n before the embedded program runs.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ctype.h>

enum tok { T_NUM, T_ID, T_OP, T_KW, T_END };
struct token { enum tok kind; long num; char text[16]; };
static struct token toks[1024]; static int ntok, pos;

static void lex(const char *s) {
    static const char *kws[] = {"while", "if", "else", "print", "do", "end"};
    while (*s) {
        if (isspace((unsigned char)*s)) { s++; continue; }
        struct token *t = &toks[ntok++]; memset(t, 0, sizeof *t);
        if (isdigit((unsigned char)*s)) { t->kind = T_NUM; t->num = strtol(s, (char **)&s, 10); continue; }
        if (isalpha((unsigned char)*s)) {
            int n = 0; while (isalnum((unsigned char)*s) && n < 15) t->text[n++] = *s++;
            t->kind = T_ID;
            for (int k = 0; k < 6; k++) if (!strcmp(t->text, kws[k])) t->kind = T_KW;
            continue;
        }
        t->kind = T_OP; t->text[0] = *s++;
        if ((t->text[0] == '=' || t->text[0] == '<' || t->text[0] == '>' || t->text[0] == '!') && *s == '=') t->text[1] = *s++;
    }
    toks[ntok].kind = T_END;
}

enum nk { N_NUM, N_VAR, N_BIN, N_ASSIGN, N_WHILE, N_IF, N_PRINT, N_SEQ };
struct node { enum nk k; long num; int var; char op[3]; struct node *a, *b, *c; };
static struct node *mk(enum nk k) { struct node *n = calloc(1, sizeof *n); n->k = k; return n; }
static int var_index(const char *name) { return (name[0] - 'a') % 26; }
static int is_op(const char *s) { return toks[pos].kind == T_OP && !strcmp(toks[pos].text, s); }
static int is_kw(const char *s) { return toks[pos].kind == T_KW && !strcmp(toks[pos].text, s); }

static struct node *expr(void);
static struct node *primary(void) {
    struct token *t = &toks[pos++];
    if (t->kind == T_NUM) { struct node *n = mk(N_NUM); n->num = t->num; return n; }
    if (t->kind == T_ID) { struct node *n = mk(N_VAR); n->var = var_index(t->text); return n; }
    if (t->kind == T_OP && t->text[0] == '(') { struct node *n = expr(); pos++; return n; }
    fprintf(stderr, "parse error at token %d\n", pos - 1); exit(2);
}
static struct node *binary(int level) {
    static const char *ops[][4] = {{"<", ">", "==", "!="}, {"+", "-"}, {"*", "/", "%"}};
    if (level == 3) return primary();
    struct node *l = binary(level + 1);
    for (;;) {
        int hit = -1;
        for (int i = 0; i < 4 && ops[level][i]; i++) if (is_op(ops[level][i])) hit = i;
        if (hit < 0) return l;
        pos++;
        struct node *n = mk(N_BIN); strcpy(n->op, ops[level][hit]); n->a = l; n->b = binary(level + 1); l = n;
    }
}
static struct node *expr(void) { return binary(0); }
static struct node *block(void);
static struct node *stmt(void) {
    if (is_kw("while")) { pos++; struct node *n = mk(N_WHILE); n->a = expr(); pos++; n->b = block(); pos++; return n; }
    if (is_kw("if")) {
        pos++; struct node *n = mk(N_IF); n->a = expr(); pos++; n->b = block();
        if (is_kw("else")) { pos++; n->c = block(); }
        pos++; return n;
    }
    if (is_kw("print")) { pos++; struct node *n = mk(N_PRINT); n->a = expr(); return n; }
    struct node *n = mk(N_ASSIGN); n->var = var_index(toks[pos].text); pos += 2; n->a = expr(); return n;
}
static struct node *block(void) {
    struct node *head = NULL, **tail = &head;
    while (toks[pos].kind != T_END && !is_kw("end") && !is_kw("else")) {
        struct node *s = mk(N_SEQ); s->a = stmt(); *tail = s; tail = &s->b;
        if (is_op(";")) pos++;
    }
    return head;
}

static long vars[26]; static unsigned long steps;
static long eval(struct node *n) {
    steps++;
    switch (n->k) {
    case N_NUM: return n->num;
    case N_VAR: return vars[n->var];
    case N_BIN: {
        long a = eval(n->a), b = eval(n->b);
        switch (n->op[0]) {
        case '+': return a + b; case '-': return a - b; case '*': return a * b;
        case '/': return b ? a / b : 0; case '%': return b ? a % b : 0;
        case '<': return a < b; case '>': return a > b;
        case '=': return a == b; case '!': return a != b;
        }
        return 0;
    }
    case N_ASSIGN: return vars[n->var] = eval(n->a);
    case N_WHILE: while (eval(n->a)) for (struct node *s = n->b; s; s = s->b) eval(s->a); return 0;
    case N_IF: { struct node *s = eval(n->a) ? n->b : n->c; for (; s; s = s->b) eval(s->a); return 0; }
    case N_PRINT: printf("%ld\n", eval(n->a)); return 0;
    case N_SEQ: return 0;
    }
    return 0;
}

static const char *program =
    "a = 0; b = 1; i = 0;\n"
    "while i < n do t = a + b; a = b; b = t; i = i + 1; end\n"
    "print a;\n"
    "p = 2; c = 0;\n"
    "while p < 2000 do\n"
    "  d = 2; q = 1;\n"
    "  while d * d < p + 1 do if p % d == 0 do q = 0; end d = d + 1; end\n"
    "  if q do c = c + 1; end p = p + 1;\n"
    "end\n"
    "print c;\n"
    "x = 27; s = 0; while x != 1 do if x % 2 == 0 do x = x / 2; else x = 3 * x + 1; end s = s + 1; end print s;\n"
    "g = 1071; h = 462; while h != 0 do t = g % h; g = h; h = t; end print g;\n";

int main(int argc, char **argv) {
    vars[var_index("n")] = argc > 1 ? atol(argv[1]) : 10;
    lex(program);
    struct node *prog = block();
    for (struct node *s = prog; s; s = s->b) eval(s->a);
    printf("tokens=%d steps=%lu\n", ntok, steps);
    return 0;
}
