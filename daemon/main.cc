// The composition root: global libraries are initialised here, once, before
// any thread starts; everything else is built by the command that runs.
#include <curl/curl.h>

#include <cstdlib>
#include <iostream>

#include "daemon/cli.h"

int main(int argc, char** argv) {
  if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
    std::cerr << "newswatch: libcurl failed to initialise\n";
    return 1;
  }
  const char* config_env = std::getenv("NEWSWATCH_CONFIG");
  const int status = newswatch::daemon::RunCli(
      std::vector<std::string>(argv + 1, argv + argc),
      config_env != nullptr ? config_env : "", std::cout, std::cerr);
  std::cout.flush();
  curl_global_cleanup();
  return status;
}
