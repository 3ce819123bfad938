// TempDir: a fresh directory under $TMPDIR, removed with its contents when
// the object goes away.
#ifndef NEWSWATCH_TESTS_SUPPORT_TEMP_DIR_H_
#define NEWSWATCH_TESTS_SUPPORT_TEMP_DIR_H_

#include <filesystem>
#include <string>

namespace newswatch::testing {

class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }

  // Writes `content` to path()/relative (creating folders); returns the path.
  std::filesystem::path Write(const std::string& relative,
                              const std::string& content) const;

 private:
  std::filesystem::path path_;
};

// The whole content of a file.
std::string ReadFile(const std::filesystem::path& path);

}  // namespace newswatch::testing

#endif  // NEWSWATCH_TESTS_SUPPORT_TEMP_DIR_H_
