using Orbitr.Server.Owners;

namespace Orbitr.Server.Tests;

/// <summary>Issue 23: a classroom behind one address got 3003 for its eleventh browser. The default leaves room for a
/// room full of browsers and still bounds a script.</summary>
public class OwnerDefaultsTests
{
    [Fact]
    public void A_class_of_browsers_behind_one_address_gets_owners_by_default()
    {
        var options = new OwnerOptions();
        Assert.InRange(options.OwnersPerHour, 100, 1000);
    }
}
