// Where things live under data_dir.
#ifndef NEWSWATCH_DAEMON_DATA_PATHS_H_
#define NEWSWATCH_DAEMON_DATA_PATHS_H_

#include <filesystem>

namespace newswatch::daemon {

inline std::filesystem::path IndexDirectory(
    const std::filesystem::path& data_dir) {
  return data_dir / "index";
}

inline std::filesystem::path DatabaseFile(
    const std::filesystem::path& data_dir) {
  return data_dir / "newswatch.db";
}

}  // namespace newswatch::daemon

#endif  // NEWSWATCH_DAEMON_DATA_PATHS_H_
