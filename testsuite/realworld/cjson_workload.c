/* A deterministic cJSON workload for the real-world suite: build a document, print it,
 * parse it back, walk and modify it, many times, printing checksums as it goes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cJSON.h"

static unsigned long hash(const char *s)
{
   unsigned long h = 5381;
   while (*s) h = h * 33u + (unsigned char)*s++;
   return h;
}

static cJSON *make_doc(int round)
{
   cJSON *root = cJSON_CreateObject();
   cJSON *items = cJSON_AddArrayToObject(root, "items");
   for (int i = 0; i < 2000; i++) {
      cJSON *item = cJSON_CreateObject();
      char name[64];
      snprintf(name, sizeof name, "item-%d-%d \"quoted\" \\ \u00e9", round, i);
      cJSON_AddStringToObject(item, "name", name);
      cJSON_AddNumberToObject(item, "id", i * 7 + round);
      cJSON_AddNumberToObject(item, "ratio", (double)i / (round + 3));
      cJSON_AddBoolToObject(item, "even", i % 2 == 0);
      cJSON *tags = cJSON_AddArrayToObject(item, "tags");
      for (int t = 0; t < i % 5; t++) cJSON_AddItemToArray(tags, cJSON_CreateNumber(t * 1.5));
      cJSON_AddItemToArray(items, item);
   }
   cJSON_AddStringToObject(root, "title", "real-world suite");
   return root;
}

int main(void)
{
   unsigned long total = 0;
   for (int round = 0; round < 40; round++) {
      cJSON *doc = make_doc(round);
      char *text = cJSON_Print(doc);
      cJSON *back = cJSON_Parse(text);
      if (!back) {
         fprintf(stderr, "round %d: parse failed\n", round);
         return 1;
      }
      double sum = 0;
      cJSON *item;
      cJSON_ArrayForEach(item, cJSON_GetObjectItem(back, "items")) {
         sum += cJSON_GetObjectItem(item, "ratio")->valuedouble;
         cJSON_ReplaceItemInObject(item, "even", cJSON_CreateString("replaced"));
      }
      char *compact = cJSON_PrintUnformatted(back);
      unsigned long h = hash(text) ^ hash(compact);
      total ^= h;
      printf("round %2d: %zu bytes, compact %zu, sum %.6f, equal %d, hash %lu\n", round, strlen(text),
             strlen(compact), sum, cJSON_Compare(doc, back, 1), h);
      free(text);
      free(compact);
      cJSON_Delete(doc);
      cJSON_Delete(back);
   }
   printf("total %lu\n", total);
   return 0;
}
