/* serve.h — the serve layer (src/serve): the compiled-in page and examples of `lightfab serve`. */
#ifndef LF_SERVE_H
#define LF_SERVE_H

/* The page is head + lfi_report_css() + tail. */
const char *lfi_serve_page_head(void);
const char *lfi_serve_page_tail(void);
/* The YAML of a bundled example by name ("dgx-h100-4su"), or NULL. */
const char *lfi_serve_example(const char *name);

#endif
