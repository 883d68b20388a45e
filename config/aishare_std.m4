# AISHARE_REQUIRE_STD: the adapters are C11, the core C++17; stop early with a clear
# message when a compiler cannot do that.  GPL-2.0-or-later.
AC_DEFUN([AISHARE_REQUIRE_STD], [
AC_LANG_PUSH([C])
AC_MSG_CHECKING([whether $CC compiles C11])
aishare_save_CFLAGS=$CFLAGS
CFLAGS="$CFLAGS -std=gnu11"
AC_COMPILE_IFELSE([AC_LANG_PROGRAM([[_Static_assert(sizeof(int) >= 4, "int");]], [])],
	[AC_MSG_RESULT([yes])], [AC_MSG_ERROR([$CC cannot compile C11 (-std=gnu11)])])
CFLAGS=$aishare_save_CFLAGS
AC_LANG_POP([C])
AC_LANG_PUSH([C++])
AC_MSG_CHECKING([whether $CXX compiles C++17])
aishare_save_CXXFLAGS=$CXXFLAGS
CXXFLAGS="$CXXFLAGS -std=c++17"
AC_COMPILE_IFELSE([AC_LANG_PROGRAM([[#include <optional>
#include <string_view>]], [[std::optional<std::string_view> v{"x"}; if constexpr (true) return v->size() != 1;]])],
	[AC_MSG_RESULT([yes])], [AC_MSG_ERROR([$CXX cannot compile C++17 (-std=c++17)])])
CXXFLAGS=$aishare_save_CXXFLAGS
AC_LANG_POP([C++])
])
